// Loaded into a CLI child with `node --import`: counts the client sockets it opens (and how many are
// open at once) and samples its RSS, and writes both to $PROBE_OUT_FILE when it exits.
import dc from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

let created = 0;
let open = 0;
let peakOpen = 0;
const rssSamples = [];
dc.subscribe('net.client.socket', ({ socket }) => {
  created++;
  peakOpen = Math.max(peakOpen, ++open);
  socket.once('close', () => open--);
});
setInterval(() => rssSamples.push(process.memoryUsage().rss), 200).unref();
process.on('warning', (warning) => process.stderr.write(`probe: warning ${warning.name}: ${warning.message}\n`));
process.on('exit', () => {
  const out = process.env.PROBE_OUT_FILE;
  if (out) writeFileSync(out, JSON.stringify({ socketsCreated: created, peakOpenSockets: peakOpen, maxRssKiB: process.resourceUsage().maxRSS, rssSamples }));
});
