/** The entry of the built CLI (`dist/cli.cjs`, see `cli/build.js`): runs the program on the process's arguments. */
import { run } from './main';

void run(process.argv);
