// Where a photo was taken, read from its EXIF in the browser: the downscaled copy we send loses
// all metadata, so this runs on the original file first.
//
// Only the path to the GPS position is parsed: the JPEG's markers up to APP1 "Exif\0\0"; its TIFF
// header (II = little-endian, MM = big-endian, then 42 and the offset of IFD0); in IFD0 the tag
// 0x8825, the offset of the GPS IFD; there tags 1 (N/S), 2 (latitude), 3 (E/W) and 4 (longitude),
// the angles as three RATIONALs (degrees, minutes, seconds). All offsets count from the TIFF
// header. Anything malformed or out of bounds gives null, never an exception.

const HEAD_BYTES = 128 * 1024; // EXIF lives in APP1 (at most 64 KB) near the start of the file
const ASCII = 2;
const RATIONAL = 5;
const SRATIONAL = 10;
const GPS_IFD = 0x8825;

export async function readGps(file) {
  try {
    const buffer = await file.slice(0, HEAD_BYTES).arrayBuffer();
    return gpsFromJpeg(new DataView(buffer));
  } catch {
    return null;
  }
}

export function gpsFromJpeg(view) {
  try {
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
    let offset = 2;
    while (offset + 4 <= view.byteLength) {
      if (view.getUint8(offset) !== 0xff) return null;
      const marker = view.getUint8(offset + 1);
      if (marker === 0xff) {
        offset += 1; // fill byte before a marker
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return null; // image data starts: no EXIF came first
      const length = view.getUint16(offset + 2);
      if (marker === 0xe1 && isExifHeader(view, offset + 4)) {
        const end = Math.min(offset + 2 + length, view.byteLength);
        return gpsFromTiff(new DataView(view.buffer, view.byteOffset + offset + 10, end - offset - 10));
      }
      offset += 2 + length;
    }
  } catch {
    // a RangeError from a lying length or offset: no position
  }
  return null;
}

function isExifHeader(view, at) {
  // "Exif" then two zero bytes
  return view.getUint32(at) === 0x45786966 && view.getUint16(at + 4) === 0;
}

function gpsFromTiff(tiff) {
  const order = tiff.getUint16(0);
  const little = order === 0x4949;
  if (!little && order !== 0x4d4d) return null;
  if (tiff.getUint16(2, little) !== 42) return null;
  const ifd0 = entries(tiff, tiff.getUint32(4, little), little);
  const pointer = ifd0.get(GPS_IFD);
  if (!pointer) return null;
  const gps = entries(tiff, tiff.getUint32(pointer.at, little), little);
  const latRef = ascii(tiff, gps.get(1));
  const lonRef = ascii(tiff, gps.get(3));
  const lat = angle(tiff, gps.get(2), little);
  const lon = angle(tiff, gps.get(4), little);
  if (lat === null || lon === null) return null;
  const result = { lat: latRef === "S" ? -lat : lat, lon: lonRef === "W" ? -lon : lon };
  if (Math.abs(result.lat) > 90 || Math.abs(result.lon) > 180 || (result.lat === 0 && result.lon === 0)) return null;
  return result;
}

// An IFD: a count, then 12-byte entries (tag, type, count, value or offset of the value).
function entries(tiff, offset, little) {
  const found = new Map();
  const count = tiff.getUint16(offset, little);
  for (let i = 0; i < count; i += 1) {
    const at = offset + 2 + i * 12;
    found.set(tiff.getUint16(at, little), { type: tiff.getUint16(at + 2, little), count: tiff.getUint32(at + 4, little), at: at + 8 });
  }
  return found;
}

function ascii(tiff, entry) {
  // One letter and its NUL fit in the entry itself.
  if (!entry || entry.type !== ASCII) return "";
  return String.fromCharCode(tiff.getUint8(entry.at)).toUpperCase();
}

function angle(tiff, entry, little) {
  if (!entry || (entry.type !== RATIONAL && entry.type !== SRATIONAL) || entry.count < 3) return null;
  const start = tiff.getUint32(entry.at, little);
  const read = entry.type === RATIONAL ? (o) => tiff.getUint32(o, little) : (o) => tiff.getInt32(o, little);
  const [d, m, s] = [0, 1, 2].map((k) => {
    const denominator = read(start + k * 8 + 4);
    if (denominator === 0) return k === 0 ? NaN : 0; // some cameras write 0/0 for unknown seconds
    return read(start + k * 8) / denominator;
  });
  const value = d + m / 60 + s / 3600;
  return Number.isFinite(value) ? value : null;
}
