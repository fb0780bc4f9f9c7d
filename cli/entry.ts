/** The entry of the built CLI (`dist/cli.cjs`, see `cli/build.js`): runs the program on the process's arguments. */
import { run } from './main';

// The SDK's advice to upgrade Node is noise in every command's output (unless the user asks for it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
void run(process.argv);
