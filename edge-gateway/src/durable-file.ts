import { open, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` with `content` so that after a crash (SIGKILL or power loss) it holds either the
 * old or the new content, never a torn mix: write a temp file, fsync it, rename over, fsync the directory.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** Makes a rename, create or unlink in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
