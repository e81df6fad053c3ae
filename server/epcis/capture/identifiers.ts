import { getAddress, isAddress } from "ethers";
import { gtinCheckDigit, isValidGtin } from "../../../shared/trade-codes";

/**
 * Reading the identifiers of an EPCIS document back: the inverse of what epcis.mapper.ts writes
 * (Digital Link class URIs, did:pkh parties, ni: document URIs), plus the EPC URN forms GS1's
 * examples use (urn:epc:class:lgtin, urn:epc:id:sgtin, ...). Pure functions; `undefined` or a
 * `message` says why an identifier cannot be read.
 */

/** A trade item as EPCIS names it: a class (GTIN + lot, the lot "" when none), an instance (GTIN + serial), or another GS1 key. */
export type ItemId =
  | { kind: "class"; gtin: string; lot: string }
  | { kind: "instance"; gtin: string; serial: string }
  | { kind: "other"; scheme: string }
  | { kind: "invalid"; message: string };

const decode = (part: string): string | undefined => {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

/** GTIN-14 from an EPC company prefix and an indicator digit + item reference (TDS section 14.5.1). */
function gtinFromEpc(companyPrefix: string, indicatorAndItem: string): string | undefined {
  if (!/^\d+$/.test(companyPrefix) || !/^\d+$/.test(indicatorAndItem) || companyPrefix.length + indicatorAndItem.length !== 13) return undefined;
  const body = indicatorAndItem[0] + companyPrefix + indicatorAndItem.slice(1);
  return body + gtinCheckDigit(body);
}

const EPC_URN = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$/i;
/** A GS1 Digital Link URI on any resolver (id.gs1.org or a brand's own domain), optionally below a path prefix. */
const DIGITAL_LINK = /^https?:\/\/[^/]+(?:\/[^/]+)*?\/01\/(\d{14})(?:\/10\/([^/?#]+))?(?:\/21\/([^/?#]+))?\/?(?:[?#].*)?$/;
const DIGITAL_LINK_OTHER_KEY = /^https?:\/\/[^/]+(?:\/[^/]+)*?\/(00|253|255|8003|8004|8010|8017|8018|414|417)\/[^/]+/;

export function parseItemId(uri: string): ItemId {
  const urn = EPC_URN.exec(uri);
  if (urn) {
    const [, level, scheme, rest] = urn;
    const lower = `${level.toLowerCase()}:${scheme.toLowerCase()}`;
    if (lower === "class:lgtin" || lower === "id:sgtin") {
      const parts = rest.split(".");
      const tail = parts.length === 3 ? decode(parts[2]) : undefined;
      const gtin = parts.length === 3 ? gtinFromEpc(parts[0], parts[1]) : undefined;
      if (!gtin || tail === undefined || tail === "") {
        return { kind: "invalid", message: `is not a valid ${lower === "class:lgtin" ? "LGTIN" : "SGTIN"} EPC URN` };
      }
      return lower === "class:lgtin" ? { kind: "class", gtin, lot: tail } : { kind: "instance", gtin, serial: tail };
    }
    if (lower === "idpat:sgtin") {
      // urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.* : every instance of a GTIN, i.e. the GTIN as a class without a lot.
      const parts = rest.split(".");
      const gtin = parts.length === 3 && parts[2] === "*" ? gtinFromEpc(parts[0], parts[1]) : undefined;
      if (!gtin) return { kind: "invalid", message: "is not a valid SGTIN pattern URN (CompanyPrefix.ItemRef.*)" };
      return { kind: "class", gtin, lot: "" };
    }
    return { kind: "other", scheme: lower };
  }
  const link = DIGITAL_LINK.exec(uri);
  if (link) {
    const [, gtin, rawLot, rawSerial] = link;
    if (!isValidGtin(gtin)) return { kind: "invalid", message: `has GTIN ${gtin}, whose check digit is wrong` };
    const lot = rawLot === undefined ? "" : decode(rawLot);
    const serial = rawSerial === undefined ? undefined : decode(rawSerial);
    if (lot === undefined || serial === "") return { kind: "invalid", message: "has a badly percent-encoded lot or serial" };
    if (rawSerial !== undefined) return serial === undefined ? { kind: "invalid", message: "has a badly percent-encoded serial" } : { kind: "instance", gtin, serial };
    return { kind: "class", gtin, lot };
  }
  const other = DIGITAL_LINK_OTHER_KEY.exec(uri);
  if (other) return { kind: "other", scheme: `digital link AI ${other[1]}` };
  return { kind: "invalid", message: "is neither an EPC URN nor a GS1 Digital Link URI" };
}

/** The member address of a `did:pkh:eip155:{chainId}:{address}` party (as the export writes it), or why not. */
export function parsePartyUri(uri: string, chainId: number): { address: string } | { message: string } {
  const match = /^did:pkh:eip155:(\d+):(0x[0-9a-fA-F]{40})$/.exec(uri);
  if (!match) {
    return { message: `is not a member: parties are did:pkh:eip155:${chainId}:<address> URIs (members have no GLN on the ledger)` };
  }
  if (Number(match[1]) !== chainId) return { message: `names chain ${match[1]}; this ledger is on chain ${chainId}` };
  if (!isAddress(match[2])) return { message: "has an address with a wrong EIP-55 checksum" };
  return { address: getAddress(match[2]).toLowerCase() };
}

/** The SHA-256 (0x hex) named by an RFC 6920 `ni:///sha-256;...` URI (base64url, as documentUri writes it), if it is one. */
export function parseDocumentUri(uri: string): string | undefined {
  const match = /^ni:\/\/[^/]*\/sha-256;([A-Za-z0-9_-]{43})(?:\?.*)?$/.exec(uri);
  if (!match) return undefined;
  return "0x" + Buffer.from(match[1], "base64url").toString("hex");
}
