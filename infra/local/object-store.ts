/**
 * The local stand-in for the status bucket: objects in a folder, one file per key (the key
 * URI-encoded, so "status" and "status/fi" can both exist) plus its content type beside it.
 * A put is atomic, as in S3: each file is written under a temporary name and renamed into place,
 * so a reader sees the old object or the new one, never half of one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class LocalObjectStore {
  constructor(readonly directory: string) {}

  async init(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const file = this.fileOf(key);
    await replaceFile(`${file}.meta.json`, JSON.stringify({ contentType }));
    await replaceFile(file, body);
  }

  async get(key: string): Promise<{ body: Buffer; contentType: string } | undefined> {
    const file = this.fileOf(key);
    try {
      const [body, meta] = await Promise.all([readFile(file), readFile(`${file}.meta.json`, 'utf8')]);
      const { contentType } = JSON.parse(meta) as { contentType: string };
      return { body, contentType };
    } catch {
      return undefined;
    }
  }

  private fileOf(key: string): string {
    return join(this.directory, encodeURIComponent(key));
  }
}

async function replaceFile(file: string, content: string | Buffer): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
