import type { TypedDataDomain, TypedDataField } from "ethers";

/**
 * EIP-712 typed data of a receivable's registration: what the debtor's wallet signs so that the
 * creditor can register it already confirmed (`registerConfirmed`). Mirrors `REGISTRATION_TYPEHASH`
 * in Receivables.sol.
 */
export const REGISTRATION_TYPES: Record<string, TypedDataField[]> = {
  Registration: [
    { name: "creditor", type: "address" },
    { name: "debtor", type: "address" },
    { name: "faceValue", type: "uint96" },
    { name: "currency", type: "bytes3" },
    { name: "dueDate", type: "uint64" },
    { name: "graceSeconds", type: "uint32" },
    { name: "invoiceHash", type: "bytes32" },
    { name: "documentHash", type: "bytes32" },
    { name: "salt", type: "bytes32" },
  ],
};

/** The receivables contract's EIP-712 domain on a chain. */
export function registrationDomain(chainId: bigint | number, receivables: string): TypedDataDomain {
  return { name: "TraceFin Receivables", version: "1", chainId, verifyingContract: receivables };
}
