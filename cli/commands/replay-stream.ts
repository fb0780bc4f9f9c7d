import type { Command } from "commander";
export function registerReplayStream(replay: Command): void { replay.command("stream"); }
