import { crc32 } from 'node:zlib';

/**
 * A per-device array on disk (status bytes, device times) in blocks of BLOCK_DEVICES devices, each block kept in two
 * copies ("slots") so that a checkpoint rewrites only the blocks that changed, and a write torn by a kill -9 leaves the
 * block's previous copy intact. See docs/decisions.md, "Per-job device files are written block by block".
 *
 * Layout: a 64-byte header (magic, format version, bytes per device, device count, devices per block, header CRC32),
 * then for each block its slots 0 and 1, each a 16-byte slot header (generation, block index, 0, CRC32 of those 12
 * bytes and the data) followed by the block's data, zero-padded past the last device.
 */
export const BLOCK_DEVICES = 1024;
const FORMAT_VERSION = 1;
const MAGIC = Buffer.from('FLJOBDEV', 'latin1');
const HEADER_BYTES = 64;
const SLOT_HEADER_BYTES = 16;
/** Blocks read per read() call while checking a file. */
const READ_BLOCKS = 256;
/** Slot writes in flight at once: enough to keep libuv's threadpool busy. */
const PARALLEL_WRITES = 16;

/** What the block files need of an open file (a FileHandle has it). */
export interface BlockFileHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  /** Flushes the file's data to the disk (fdatasync). */
  datasync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** How files are opened; tests inject one that counts or fails writes. */
export interface FileOpener {
  open(file: string, flags: string): Promise<BlockFileHandle>;
}

/** The file exists but does not hold what its header and checksums promise. */
export class DamagedFileError extends Error {}

/** Which slot holds each block's newest copy and its generation, as last read or written. */
export interface BlockLayout {
  readonly bytesPerDevice: number;
  devices: number;
  generation: Uint32Array;
  active: Uint8Array;
}

/** A changed block's data, copied out of the live array when the checkpoint was taken. */
export interface BlockCopy {
  block: number;
  /** SLOT_HEADER_BYTES of room, then the block's data. */
  slot: Buffer;
}

const blocksFor = (devices: number) => Math.ceil(devices / BLOCK_DEVICES);
const slotBytes = (bytesPerDevice: number) => SLOT_HEADER_BYTES + BLOCK_DEVICES * bytesPerDevice;
const slotOffset = (bytesPerDevice: number, block: number, slot: number) => HEADER_BYTES + (2 * block + slot) * slotBytes(bytesPerDevice);
const fileBytes = (bytesPerDevice: number, devices: number) => slotOffset(bytesPerDevice, blocksFor(devices), 0);

/** Copies the blocks' data out of `values` (bytesPerDevice bytes per device) into slots ready to write. */
export function copyBlocks(values: Uint8Array, bytesPerDevice: number, blocks: readonly number[]): BlockCopy[] {
  const blockBytes = BLOCK_DEVICES * bytesPerDevice;
  return blocks.map((block) => {
    const slot = Buffer.alloc(SLOT_HEADER_BYTES + blockBytes);
    slot.set(values.subarray(block * blockBytes, (block + 1) * blockBytes), SLOT_HEADER_BYTES);
    return { block, slot };
  });
}

/** Whether `bytes` start like a file of this format (a file from before it holds raw values). */
export const hasBlockFileMagic = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAGIC.length)).equals(MAGIC);

function header(bytesPerDevice: number, devices: number): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32LE(FORMAT_VERSION, 8);
  bytes.writeUInt32LE(bytesPerDevice, 12);
  bytes.writeUInt32LE(devices, 16);
  bytes.writeUInt32LE(BLOCK_DEVICES, 20);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 24)), 24);
  return bytes;
}

function sealSlot(slot: Buffer, block: number, generation: number): void {
  slot.writeUInt32LE(generation, 0);
  slot.writeUInt32LE(block, 4);
  slot.writeUInt32LE(0, 8);
  slot.writeUInt32LE(slotChecksum(slot), 12);
}

const slotChecksum = (slot: Buffer) => crc32(slot.subarray(SLOT_HEADER_BYTES), crc32(slot.subarray(0, 12)));

function emptyLayout(bytesPerDevice: number, devices: number): BlockLayout {
  return { bytesPerDevice, devices, generation: new Uint32Array(blocksFor(devices)), active: new Uint8Array(blocksFor(devices)) };
}

/** A new file of `devices` devices, every block still unwritten (zeros); the file is sparse until blocks are written. */
export async function createBlockFile(opener: FileOpener, file: string, bytesPerDevice: number, devices: number): Promise<BlockLayout> {
  await withFile(opener, file, 'w', async (handle) => {
    await writeAll(handle, header(bytesPerDevice, devices), 0);
    await handle.truncate(fileBytes(bytesPerDevice, devices));
  });
  return emptyLayout(bytesPerDevice, devices);
}

/** A new file holding `values` (all its devices) in slot 0 of every block. */
export async function writeWholeBlockFile(opener: FileOpener, file: string, bytesPerDevice: number, values: Uint8Array): Promise<BlockLayout> {
  const devices = values.byteLength / bytesPerDevice;
  const layout = emptyLayout(bytesPerDevice, devices);
  await withFile(opener, file, 'w', async (handle) => {
    await writeAll(handle, header(bytesPerDevice, devices), 0);
    await handle.truncate(fileBytes(bytesPerDevice, devices));
    for (let first = 0; first < layout.generation.length; first += READ_BLOCKS) {
      const blocks = Array.from({ length: Math.min(READ_BLOCKS, layout.generation.length - first) }, (_, i) => first + i);
      await writeSlots(handle, layout, copyBlocks(values, bytesPerDevice, blocks));
    }
  });
  return layout;
}

/** Writes each copied block into its older slot (growing the file first when `devices` grew), then makes it the newest. */
export async function writeBlocks(opener: FileOpener, file: string, layout: BlockLayout, devices: number, copies: readonly BlockCopy[]): Promise<void> {
  await withFile(opener, file, 'r+', async (handle) => {
    if (devices > layout.devices) await grow(handle, layout, devices);
    await writeSlots(handle, layout, copies);
  });
}

/** New blocks first (zeros, as unwritten blocks read), then the header's count: a kill between the two loses nothing. */
async function grow(handle: BlockFileHandle, layout: BlockLayout, devices: number): Promise<void> {
  await handle.truncate(fileBytes(layout.bytesPerDevice, devices));
  await writeAll(handle, header(layout.bytesPerDevice, devices), 0);
  const generation = new Uint32Array(blocksFor(devices));
  generation.set(layout.generation);
  const active = new Uint8Array(blocksFor(devices));
  active.set(layout.active);
  Object.assign(layout, { devices, generation, active });
}

async function writeSlots(handle: BlockFileHandle, layout: BlockLayout, copies: readonly BlockCopy[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < copies.length) {
      const { block, slot } = copies[next++]!;
      const target = 1 - layout.active[block]!;
      const generation = layout.generation[block]! + 1;
      sealSlot(slot, block, generation);
      await writeAll(handle, slot, slotOffset(layout.bytesPerDevice, block, target));
      layout.active[block] = target;
      layout.generation[block] = generation;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, copies.length) }, worker));
}

/** Reads and checks the whole file: its values (bytesPerDevice per device) and where each block's newest copy is. */
export async function readBlockFile(opener: FileOpener, file: string, bytesPerDevice: number): Promise<{ values: Uint8Array; layout: BlockLayout }> {
  return withFile(opener, file, 'r', async (handle) => {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) throw new DamagedFileError(`is truncated: ${size} bytes, shorter than its ${HEADER_BYTES}-byte header`);
    const devices = checkHeader(head, bytesPerDevice);
    const expected = fileBytes(bytesPerDevice, devices);
    if (size < expected) throw new DamagedFileError(`is truncated: ${size} bytes where its ${devices} devices need ${expected}`);
    const layout = emptyLayout(bytesPerDevice, devices);
    const values = new Uint8Array(devices * bytesPerDevice);
    const blockBytes = BLOCK_DEVICES * bytesPerDevice;
    const pair = 2 * slotBytes(bytesPerDevice);
    const chunk = Buffer.alloc(READ_BLOCKS * pair);
    for (let first = 0; first < layout.generation.length; first += READ_BLOCKS) {
      const count = Math.min(READ_BLOCKS, layout.generation.length - first);
      await readExactly(handle, chunk.subarray(0, count * pair), slotOffset(bytesPerDevice, first, 0));
      for (let i = 0; i < count; i++) {
        const block = first + i;
        const slots = [0, 1].map((s) => chunk.subarray(i * pair + s * slotBytes(bytesPerDevice), i * pair + (s + 1) * slotBytes(bytesPerDevice)));
        const chosen = newestIntactSlot(slots, block);
        if (chosen === undefined) throw new DamagedFileError(`fails its checksum in block ${block} (devices ${block * BLOCK_DEVICES} to ${(block + 1) * BLOCK_DEVICES - 1})`);
        layout.active[block] = chosen.slot;
        layout.generation[block] = chosen.generation;
        const data = slots[chosen.slot]!.subarray(SLOT_HEADER_BYTES);
        values.set(data.subarray(0, Math.min(blockBytes, values.length - block * blockBytes)), block * blockBytes);
      }
    }
    return { values, layout };
  });
}

function checkHeader(head: Buffer, bytesPerDevice: number): number {
  if (!head.subarray(0, 8).equals(MAGIC)) throw new DamagedFileError('is not a Fleetlab job device file (bad magic)');
  if (head.readUInt32LE(24) !== crc32(head.subarray(0, 24))) throw new DamagedFileError('has a damaged header (checksum mismatch)');
  const version = head.readUInt32LE(8);
  if (version !== FORMAT_VERSION) throw new DamagedFileError(`has format version ${version}; this Fleetlab reads version ${FORMAT_VERSION}`);
  if (head.readUInt32LE(12) !== bytesPerDevice) throw new DamagedFileError(`holds ${head.readUInt32LE(12)} bytes per device, not ${bytesPerDevice}`);
  if (head.readUInt32LE(20) !== BLOCK_DEVICES) throw new DamagedFileError(`has blocks of ${head.readUInt32LE(20)} devices, not ${BLOCK_DEVICES}`);
  return head.readUInt32LE(16);
}

/**
 * The slot with the highest generation whose checksum holds; the other slot must be intact too, never written (all
 * zeros), or the newer write a crash tore (its generation one more: a write lays down its 16-byte slot header before
 * any data, and a header never straddles a page since every slot starts at a multiple of 16). A block never written
 * reads as zeros, and so does one whose first write was torn.
 */
function newestIntactSlot(slots: Buffer[], block: number): { slot: number; generation: number } | undefined {
  const zeros = Buffer.alloc(slots[0]!.length);
  const seen = slots.map((bytes, slot) => ({
    slot,
    generation: bytes.readUInt32LE(0),
    intact: bytes.readUInt32LE(0) > 0 && bytes.readUInt32LE(4) === block && bytes.readUInt32LE(12) === slotChecksum(bytes),
    empty: bytes.equals(zeros),
  }));
  const chosen = seen.filter((s) => s.intact).sort((a, b) => b.generation - a.generation)[0] ?? seen.find((s) => s.empty);
  if (!chosen) return undefined;
  const other = seen[1 - chosen.slot]!;
  const explained = other.intact || other.empty || other.generation === chosen.generation + 1;
  return explained ? chosen : undefined;
}

async function withFile<T>(opener: FileOpener, file: string, flags: string, use: (handle: BlockFileHandle) => Promise<T>): Promise<T> {
  const handle = await opener.open(file, flags);
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

export async function writeAll(handle: BlockFileHandle, bytes: Buffer, position: number): Promise<void> {
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length, position);
  // A short write on a regular file means the disk filled up mid-way.
  if (bytesWritten !== bytes.length) throw Object.assign(new Error(`ENOSPC: wrote ${bytesWritten} of ${bytes.length} bytes`), { code: 'ENOSPC' });
}

async function readExactly(handle: BlockFileHandle, into: Buffer, position: number): Promise<void> {
  const { bytesRead } = await handle.read(into, 0, into.length, position);
  if (bytesRead !== into.length) throw new DamagedFileError(`is truncated at byte ${position + bytesRead}`);
}
