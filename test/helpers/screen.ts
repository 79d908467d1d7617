/**
 * What a terminal shows after the given output: enough of VT100 for cli-progress (through
 * node:readline) to be read back: CR, LF, cursor up/down/left/right and to a column, erase in line
 * and erase below. Lines a redraw overwrote are gone, as they are on a real screen.
 */
export function screenOf(output: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => (lines[row] ??= []);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i]!;
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      line();
    } else if (ch === '\x1b') {
      const csi = /^\[(\??)(\d*)([A-Za-z])/.exec(output.slice(i + 1));
      if (!csi) {
        i += 1; // ESC 7 / ESC 8 (save and restore): unused by what is read here
        continue;
      }
      i += csi[0].length;
      if (csi[1]) continue; // ?25l, ?7h: cursor and wrapping modes
      const n = csi[2] === '' ? undefined : Number(csi[2]);
      if (csi[3] === 'A') row = Math.max(0, row - (n ?? 1));
      else if (csi[3] === 'B') {
        row += n ?? 1;
        line();
      } else if (csi[3] === 'C') col += n ?? 1;
      else if (csi[3] === 'D') col = Math.max(0, col - (n ?? 1));
      else if (csi[3] === 'G') col = (n ?? 1) - 1;
      else if (csi[3] === 'K') {
        const current = line();
        if (n === 2) current.length = 0;
        else if (n === 1) current.fill(' ', 0, col + 1);
        else current.length = Math.min(current.length, col);
      } else if (csi[3] === 'J') {
        line().length = Math.min(line().length, col);
        lines.length = row + 1;
      }
    } else {
      line()[col++] = ch;
    }
  }
  return lines.map((chars) => Array.from(chars, (c) => c ?? ' ').join('').trimEnd());
}
