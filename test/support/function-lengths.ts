/**
 * Measures every function in a tree of TypeScript files with the TypeScript compiler API, so a
 * test can hold the rule "no function of 80 lines or more" (STYLE.md §21: an orchestrator reads
 * like a table of contents, none longer than a screen).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface FunctionLength {
  /** Path relative to the root given to {@link measureFunctions}. */
  readonly file: string;
  /** `name` of a declaration or method, `<arrow>`/`<function>` with the variable or property it is bound to when there is one. */
  readonly name: string;
  /** First line (1-based) of the function. */
  readonly line: number;
  /** Lines from its first to its last character, nested functions included. */
  readonly lines: number;
}

/** Every `.ts` file under `dir` (recursively), skipping `node_modules` and declaration files. */
export function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The length of every function, method, constructor, accessor and arrow function in one source text. */
export function measureSource(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: nameOf(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every function under `root`, longest first. */
export function measureFunctions(root: string): FunctionLength[] {
  return typeScriptFiles(root)
    .flatMap((file) => measureSource(path.relative(root, file), readFileSync(file, 'utf8')))
    .sort((a, b) => b.lines - a.lines);
}

function nameOf(node: ts.SignatureDeclaration): string {
  if (node.name !== undefined && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) {
    return node.name.text;
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const kind = ts.isArrowFunction(node) ? '<arrow>' : '<function>';
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return `${parent.name.text} ${kind}`;
  }
  return kind;
}
