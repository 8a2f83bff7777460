// pcapng blocks (draft-ietf-opsawg-pcapng): the constants the writer and the reader share and
// the block encoder. A file is one section: SHB, one IDB per interface, an NRB naming the
// addresses, then one EPB per packet. Written little-endian; readers take either order.

import { ByteWriter, parseIPv4 } from './bytes';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_OPB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
export const EPB_FLAGS = 2;
export const EPB_PACKETID = 5;

export const LINKTYPE_ETHERNET = 1;

export interface PcapngInterface {
  /** if_name, e.g. the endpoint's name. */
  name: string;
  description?: string;
  /** LINKTYPE_* value; Ethernet unless told. */
  linkType?: number;
}

export interface PcapngPacket {
  /** Index into the file's interfaces. */
  interface: number;
  /** Microseconds since 1970-01-01T00:00:00Z (the default if_tsresol, 10^-6 s). */
  timeUs: number;
  /** The link-layer frame. */
  data: Uint8Array;
  comments?: string[];
  /** epb_flags bits 0-1: whether the interface saw it leave or arrive. */
  direction?: 'inbound' | 'outbound';
  /** epb_packetid: the same value for the same packet seen on several interfaces. */
  packetId?: number;
}

export interface PcapngFile {
  /** shb_comment. */
  comment?: string;
  /** shb_userappl, e.g. "tcpscenario 0.1.0". */
  application?: string;
  interfaces: PcapngInterface[];
  /** Name resolution records (NRB, IPv4 only): address -> names. */
  names?: { address: string; names: string[] }[];
  packets: PcapngPacket[];
}

const encoder = new TextEncoder();

function option(w: ByteWriter, code: number, value: Uint8Array): void {
  if (value.length > 0xffff) value = value.subarray(0, 0xffff);
  w.u16(code).u16(value.length).bytes(value).pad4();
}

function stringOption(w: ByteWriter, code: number, text: string): void {
  option(w, code, encoder.encode(text));
}

/** Writes a block: type, total length, body (from `body`), total length again. */
function block(w: ByteWriter, type: number, body: () => void): void {
  const start = w.length;
  w.u32(type).u32(0);
  body();
  w.pad4();
  const total = w.length - start + 4;
  w.u32(total);
  w.patchU32(start + 4, total);
}

function endOptions(w: ByteWriter, wrote: boolean): void {
  if (wrote) w.u16(OPT_ENDOFOPT).u16(0);
}

function u64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, value % 2 ** 32, true);
  view.setUint32(4, Math.floor(value / 2 ** 32), true);
  return bytes;
}

/** Encodes a whole file. Throws RangeError for a packet naming an interface that does not exist. */
export function encodePcapng(file: PcapngFile): Uint8Array {
  const w = new ByteWriter(64 * 1024);
  block(w, BLOCK_SHB, () => {
    w.u32(BYTE_ORDER_MAGIC).u16(1).u16(0);
    w.u32(0xffffffff).u32(0xffffffff); // section length: not given (-1)
    if (file.comment !== undefined) stringOption(w, OPT_COMMENT, file.comment);
    if (file.application !== undefined) stringOption(w, SHB_USERAPPL, file.application);
    endOptions(w, file.comment !== undefined || file.application !== undefined);
  });
  for (const iface of file.interfaces) {
    block(w, BLOCK_IDB, () => {
      w.u16(iface.linkType ?? LINKTYPE_ETHERNET).u16(0).u32(0); // snaplen 0: no limit
      stringOption(w, IF_NAME, iface.name);
      if (iface.description !== undefined) stringOption(w, IF_DESCRIPTION, iface.description);
      option(w, IF_TSRESOL, Uint8Array.of(6));
      endOptions(w, true);
    });
  }
  const records = (file.names ?? []).flatMap((n) => {
    const address = parseIPv4(n.address);
    return address === undefined || n.names.length === 0 ? [] : [{ address, names: n.names }];
  });
  if (records.length > 0) {
    block(w, BLOCK_NRB, () => {
      for (const record of records) {
        const names = record.names.map((name) => encoder.encode(`${name}\u0000`));
        const length = 4 + names.reduce((sum, n) => sum + n.length, 0);
        w.u16(1).u16(length).u32(record.address, true); // nrb_record_ipv4: address in network order
        for (const name of names) w.bytes(name);
        w.pad4();
      }
      w.u16(0).u16(0); // nrb_record_end
    });
  }
  for (const packet of file.packets) {
    if (!Number.isInteger(packet.interface) || packet.interface < 0 || packet.interface >= file.interfaces.length) {
      throw new RangeError(`packet on interface ${packet.interface}, but the file has ${file.interfaces.length}`);
    }
    block(w, BLOCK_EPB, () => {
      const time = Math.max(0, Math.round(packet.timeUs));
      w.u32(packet.interface).u32(Math.floor(time / 2 ** 32)).u32(time % 2 ** 32);
      w.u32(packet.data.length).u32(packet.data.length).bytes(packet.data).pad4();
      let wrote = false;
      for (const comment of packet.comments ?? []) {
        stringOption(w, OPT_COMMENT, comment);
        wrote = true;
      }
      if (packet.direction !== undefined) {
        const flags = new Uint8Array(4);
        new DataView(flags.buffer).setUint32(0, packet.direction === 'inbound' ? 1 : 2, true);
        option(w, EPB_FLAGS, flags);
        wrote = true;
      }
      if (packet.packetId !== undefined) {
        option(w, EPB_PACKETID, u64(packet.packetId));
        wrote = true;
      }
      endOptions(w, wrote);
    });
  }
  return w.finish();
}
