// A build starts from an empty dist/, so files of modules since removed or renamed are not packed.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
