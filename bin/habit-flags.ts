/**
 * Flags aws-cli and rclone users type out of habit that s3zipsync does not take, each with the flag
 * that does the job here. (`--size-only` means what s3zipsync does anyway, so it is accepted instead.)
 */
const HABITS: ReadonlyArray<{ typed: string; ours: string; hint: string }> = [
  { typed: 'checksum', ours: 'compare', hint: "--compare crc32 is rclone's --checksum (also compares the zip's CRC32 stored with each object)" },
  { typed: 'transfers', ours: 'concurrency', hint: "--concurrency N is rclone's --transfers (uploads in flight at once)" },
  { typed: 'endpoint', ours: 'endpoint-url', hint: 'use --endpoint-url URL (as aws-cli spells it)' },
];

/**
 * The hint for the first habit flag among `args` that the command does not know, when the flag to
 * use instead is one the command has; undefined otherwise.
 */
export function habitHint(unknownFlags: readonly string[], commandFlags: readonly string[]): string | undefined {
  for (const typed of unknownFlags) {
    const habit = HABITS.find((candidate) => candidate.typed === typed);
    if (habit && commandFlags.includes(habit.ours)) return `no --${habit.typed} here: ${habit.hint}`;
  }
  return undefined;
}
