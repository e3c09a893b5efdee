// Prints the README's error-code table from electron/shared/errors.ts (run `npm run build` first).
import { errorTableMarkdown } from '../dist/electron/shared/errors.js';

console.log(errorTableMarkdown());
