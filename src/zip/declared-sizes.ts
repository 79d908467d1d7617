import { STORED } from './compression-methods.js';

/** The central-directory fields the size checks read (yauzl's Entry has them). */
export interface DeclaredSizes {
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  isEncrypted(): boolean;
}

// Traditional (ZipCrypto) encryption puts a 12-byte header before the data.
const ENCRYPTION_HEADER = 12;

/**
 * Why a stored entry's two declared sizes cannot both be true, or null. Stored data is the content
 * itself, so the sizes are equal (plus the encryption header for an encrypted entry). Checked here
 * rather than by yauzl so the message names the entry and never shows two equal numbers.
 */
export function storedSizeMismatch(raw: DeclaredSizes, name: string): string | null {
  if (raw.compressionMethod !== STORED) return null;
  const expected = raw.uncompressedSize + (raw.isEncrypted() ? ENCRYPTION_HEADER : 0);
  if (raw.compressedSize === expected) return null;
  return `stored entry ${JSON.stringify(name)} declares ${raw.compressedSize} bytes stored for ${raw.uncompressedSize} bytes of content${raw.isEncrypted() ? ' and an encryption header' : ''}`;
}

/**
 * What to add to the refusal of an entry flagged encrypted whose sizes leave no room for an
 * encryption header: the flag may be the only thing wrong (the zip crate reads such entries only
 * when told to ignore the flag), but nothing in the archive says which is wrong, the flag or the data.
 */
export function encryptionFlagNote(raw: DeclaredSizes): string {
  const flagOnly = raw.compressionMethod === STORED && raw.compressedSize === raw.uncompressedSize;
  return flagOnly ? ' (it has the encryption flag, though its stored size leaves no room for an encryption header)' : '';
}
