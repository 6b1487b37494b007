import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Thrown while a request streams in, when its files together pass the byte budget. */
export class UploadTooLarge extends Error {
  readonly code = 'UPLOAD_TOO_LARGE';
  constructor(readonly limitBytes: number) {
    super(`The upload is larger than ${limitBytes} bytes.`);
  }
}

interface IncomingFile {
  stream: NodeJS.ReadableStream;
  originalname: string;
  mimetype: string;
}

export interface StoredUpload {
  path: string;
  size: number;
}

/**
 * A multer storage engine for one request: each file is written to a private temp folder as it arrives, and the
 * bytes of all files together are counted against one budget, so a request is refused at the first byte over it,
 * having held no more than a stream chunk in memory. `dispose()` removes the folder; call it on every path.
 */
export class UploadStorage {
  private used = 0;
  private dir: Promise<string> | null = null;
  private disposed = false;

  /** `parent`: where the request's temp folder is made (the system's temp folder by default). */
  constructor(
    private readonly budgetBytes: number,
    private readonly parent: string = tmpdir(),
  ) {}

  /** Bytes of file content taken in so far (refused files included, up to where they were cut off). */
  get bytesRead(): number {
    return this.used;
  }

  private folder(): Promise<string> {
    // busboy may hand over a file part after the request was refused and the folder removed: it must not make a
    // new folder that nobody removes.
    if (this.disposed) return Promise.reject(new Error('the upload was already closed'));
    this.dir ??= mkdtemp(path.join(this.parent, 'mailbridge-upload-'));
    return this.dir;
  }

  _handleFile(_req: unknown, file: IncomingFile, cb: (err: Error | null, info?: StoredUpload) => void): void {
    this.write(file).then(
      (info) => cb(null, info),
      (err: Error) => cb(err),
    );
  }

  _removeFile(_req: unknown, file: Partial<StoredUpload>, cb: (err: Error | null) => void): void {
    if (!file.path) return cb(null);
    rm(file.path, { force: true }).then(
      () => cb(null),
      () => cb(null),
    );
  }

  private async write(file: IncomingFile): Promise<StoredUpload> {
    let folder: string;
    try {
      folder = await this.folder();
    } catch (err) {
      file.stream.resume();
      throw err;
    }
    const target = path.join(folder, `${process.hrtime.bigint()}-${Math.random().toString(36).slice(2)}`);
    let size = 0;
    const budget = new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        size += chunk.length;
        this.used += chunk.length;
        if (this.used > this.budgetBytes) return done(new UploadTooLarge(this.budgetBytes));
        done(null, chunk);
      },
    });
    try {
      await pipeline(file.stream, budget, createWriteStream(target));
    } catch (err) {
      await rm(target, { force: true });
      // busboy's own stream stays paused once the pipeline broke: let it run dry, so the request can finish.
      file.stream.resume();
      throw err;
    }
    return { path: target, size };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (!this.dir) return;
    const dir = await this.dir.catch(() => null);
    this.dir = null;
    // A part still being written may add a file while the folder is removed (ENOTEMPTY): try again.
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
