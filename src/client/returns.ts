/** Entry of the return pages, bundled to public/build/returns.js: the return station (return-station.ts). */
import { startReturnStation } from './return-station.js';

const root = document.getElementById('return-station');
if (root) void startReturnStation(root);
