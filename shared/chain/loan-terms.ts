import type { TypedDataDomain, TypedDataField } from "ethers";

/**
 * EIP-712 typed data of the lien registry's loan terms: what a borrower's wallet signs for
 * `acceptSigned`, and whose hash is the loan id. Mirrors `LOAN_TERMS_TYPEHASH` in LienRegistry.sol.
 */
export const LOAN_TERMS_TYPES: Record<string, TypedDataField[]> = {
  LoanTerms: [
    { name: "collateral", type: "address" },
    { name: "collateralId", type: "uint256" },
    { name: "borrower", type: "address" },
    { name: "financier", type: "address" },
    { name: "principal", type: "uint96" },
    { name: "currency", type: "bytes3" },
    { name: "maturity", type: "uint64" },
    { name: "rateBps", type: "uint32" },
    { name: "marginCallLtvBps", type: "uint32" },
    { name: "offerExpiresAt", type: "uint64" },
    { name: "salt", type: "bytes32" },
  ],
};

/** The lien registry's EIP-712 domain on a chain. */
export function loanTermsDomain(chainId: bigint | number, lienRegistry: string): TypedDataDomain {
  return { name: "TraceFin LienRegistry", version: "1", chainId, verifyingContract: lienRegistry };
}
