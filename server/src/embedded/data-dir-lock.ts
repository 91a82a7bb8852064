import fs from 'node:fs';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two servers on one PGlite data directory would corrupt it, so the embedded database takes a
 * pid lock. A lock left by a killed process (pid gone) is taken over.
 */
export function lockDataDir(dir: string): { release(): void } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'server.pid');
  const holder = Number.parseInt(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', 10);
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new Error(`the data directory ${dir} is in use by another Floorboard server (pid ${holder})`);
  }
  fs.writeFileSync(file, String(process.pid));
  return {
    release() {
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
    },
  };
}
