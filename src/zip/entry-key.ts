/** Whether names are Unicode-normalized before they become keys. */
import { NAME_NORMALIZATIONS, type NameNormalization } from '../option-defaults.js';
export { NAME_NORMALIZATIONS, type NameNormalization };

/**
 * The archive path an entry is synced under, from its decoded name; null for the entry `./` itself
 * (the archive's root folder, which tar-style writers such as `bsdtar -a -cf x.zip .` list first).
 *
 * A single leading `./` names the same file as the rest of the name, so it is dropped; `.` segments
 * anywhere else are still refused by unsafeEntryNameReason. With `nfc`, names written in NFD (macOS
 * writes `café` as `cafe` + U+0301) become the composed form URLs and most tools use.
 */
export function entryPath(decoded: string, normalization: NameNormalization): string | null {
  if (decoded === './') return null;
  const withoutDot = decoded.startsWith('./') ? decoded.slice(2) : decoded;
  return normalization === 'nfc' ? withoutDot.normalize('NFC') : withoutDot;
}
