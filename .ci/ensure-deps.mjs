// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than the lockfile. Plain Node, so it runs before anything is installed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lock = join(root, "package-lock.json");
const stamp = join(root, "node_modules", ".pallabot-lock-hash");
const want = createHash("sha256").update(readFileSync(lock)).digest("hex");
const have = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";

if (have !== want) {
  console.error("pallabot: installing dependencies (npm ci), once per lockfile change...");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  writeFileSync(stamp, want);
}
