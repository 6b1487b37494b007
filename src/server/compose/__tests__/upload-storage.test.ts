import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { UploadStorage } from '../upload-storage';

function store(storage: UploadStorage, content: string): Promise<{ path: string; size: number }> {
  return new Promise((resolve, reject) =>
    storage._handleFile(null, { stream: Readable.from([Buffer.from(content)]) } as never, (err, info) =>
      err ? reject(err) : resolve(info!),
    ),
  );
}

describe('UploadStorage', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(path.join(tmpdir(), 'upload-storage-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('writes files into one folder of its own and removes it on dispose', async () => {
    const storage = new UploadStorage(100, parent);
    const a = await store(storage, 'hello');
    const b = await store(storage, 'world!');
    expect([a.size, b.size]).toEqual([5, 6]);
    expect(path.dirname(a.path)).toBe(path.dirname(b.path));
    expect(readdirSync(parent)).toHaveLength(1);
    await storage.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses the byte over the budget and keeps nothing of the refused file', async () => {
    const storage = new UploadStorage(8, parent);
    await store(storage, '12345');
    await expect(store(storage, '6789')).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    expect(storage.bytesRead).toBe(9);
    await storage.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a file part handed over after the request was closed leaves no folder behind', async () => {
    const storage = new UploadStorage(100, parent);
    await store(storage, 'first');
    await storage.dispose();
    await expect(store(storage, 'late')).rejects.toThrow(/already closed/);
    expect(readdirSync(parent)).toEqual([]);
  });
});
