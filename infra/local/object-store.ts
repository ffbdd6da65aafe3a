/**
 * The local stand-in for the status bucket: objects in a folder, one file per key (the key
 * URI-encoded, so "status" and "status/fi" can both exist) plus its content type beside it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class LocalObjectStore {
  constructor(readonly directory: string) {}

  async init(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const file = this.fileOf(key);
    await writeFile(`${file}.meta.json`, JSON.stringify({ contentType }));
    await writeFile(file, body);
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
