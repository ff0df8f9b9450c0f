// Stops at once, saying what to do, when this Node.js is older than the one
// package.json's "engines" asks for (npm install checks it too: .npmrc has
// engine-strict). Plain JavaScript that any old Node.js runs.
import { readFileSync } from "node:fs";

const wanted = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines.node;
const [major, minor] = wanted.replace(/^>=\s*/, "").split(".").map(Number);
const [haveMajor, haveMinor] = process.versions.node.split(".").map(Number);
if (haveMajor < major || (haveMajor === major && haveMinor < minor)) {
  console.error(
    `Mesh Portal needs Node.js ${major}.${minor} or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      `Install Node.js ${major} or later from nodejs.org or with a version manager (\`nvm install\` reads .nvmrc here), then run the command again.`,
  );
  process.exit(1);
}
