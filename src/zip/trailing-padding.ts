/** bsdtar pads to its 10 KiB block size; 64 KiB leaves room for any block-oriented writer. */
export const MAX_TRAILING_PADDING = 64 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** How many of the last bytes of an archive padding can hide in front of: what to read for zeroPaddingLength. */
export const PADDING_SEARCH_LENGTH = MAX_TRAILING_PADDING + EOCD_SIZE + MAX_COMMENT;

/**
 * How many zero bytes follow the end-of-central-directory record, given the archive's last bytes
 * (`tail`, at most PADDING_SEARCH_LENGTH of them); 0 when the record ends the archive or the tail is
 * anything but a record followed by at most MAX_TRAILING_PADDING zeros.
 *
 * `bsdtar --format zip` writing to a pipe pads its output to a whole block with zeros, which
 * unzip, Go and Python read. Any other trailing data stays refused: it could hold a second record
 * and make the directory ambiguous. As yauzl does, the record is the last signature in the tail.
 */
export function zeroPaddingLength(tail: Buffer): number {
  let lastNonZero = tail.length - 1;
  while (lastNonZero >= 0 && tail[lastNonZero] === 0) lastNonZero--;
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    const end = at + EOCD_SIZE + tail.readUInt16LE(at + 20);
    const padding = tail.length - end;
    // The record (and its comment) must cover every non-zero byte, and what follows must be short.
    if (end > tail.length || lastNonZero >= end || padding > MAX_TRAILING_PADDING) return 0;
    return padding;
  }
  return 0;
}
