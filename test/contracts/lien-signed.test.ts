/// <reference types="mocha" />
import { expect } from "chai";
import { loadFixture, Role, time, ZERO_HASH } from "./fixtures";
import { LoanStatus, LTV_BPS, pledgeFixture, signTerms, VALUATION } from "./lien-fixtures";

/**
 * The one-transaction pledge: the borrower signs the terms (EIP-712) and the financier submits them
 * with its valuation. Every check of offer and accept applies, and a signature is good for one loan.
 */
describe("LienRegistry: acceptSigned (one-transaction pledge)", function () {
  async function signedFixture() {
    const f = await loadFixture(pledgeFixture);
    const signature = await signTerms(f.orchard, f.liens, f.terms);
    return { ...f, signature, loanId: await f.liens.loanIdOf(f.terms) };
  }

  it("creates the active loan and the lien, locks the receipt, and emits what offer and accept emit", async function () {
    const f = await loadFixture(signedFixture);
    const tx = f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature);
    await expect(tx)
      .to.emit(f.liens, "PledgeOffered")
      .withArgs(
        f.loanId, f.terms.collateral, f.terms.collateralId, f.orchard.address, f.bank.address, f.terms.principal,
        f.terms.currency, f.terms.maturity, f.terms.rateBps, f.terms.marginCallLtvBps, f.terms.offerExpiresAt, f.terms.salt,
      );
    await expect(tx).to.emit(f.liens, "LoanActivated").withArgs(f.loanId, f.key, VALUATION, LTV_BPS);
    await expect(tx).to.emit(f.receipts, "PledgeStatusChanged").withArgs(f.receiptId, true);
    expect(await f.liens.lienOn(f.key)).to.equal(f.loanId);
    const loan = await f.liens.loanOf(f.loanId);
    expect([loan.status, loan.outstanding, loan.valuation, loan.ltvBps]).to.deep.equal([LoanStatus.Active, f.terms.principal, VALUATION, LTV_BPS]);
  });

  it("refuses a signature that is not the borrower's, or terms changed after signing (InvalidBorrowerSignature)", async function () {
    const f = await loadFixture(signedFixture);
    const byBank = await signTerms(f.bank, f.liens, f.terms);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, byBank))
      .to.be.revertedWithCustomError(f.liens, "InvalidBorrowerSignature")
      .withArgs(f.loanId, f.orchard.address);
    const richer = f.termsFor({ principal: BigInt(f.terms.principal) + 1n });
    await expect(f.liens.connect(f.bank).acceptSigned(richer, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.liens, "InvalidBorrowerSignature")
      .withArgs(await f.liens.loanIdOf(richer), f.orchard.address);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, "0x1234")).to.be.revertedWithCustomError(
      f.liens,
      "InvalidBorrowerSignature",
    );
  });

  it("is good for one loan: a replay, or terms already offered, revert with OfferAlreadyExists", async function () {
    const f = await loadFixture(signedFixture);
    await f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.liens, "OfferAlreadyExists")
      .withArgs(f.loanId);

    const g = await loadFixture(signedFixture);
    await g.liens.connect(g.orchard).offer(g.terms);
    await expect(g.liens.connect(g.bank).acceptSigned(g.terms, VALUATION, g.signature))
      .to.be.revertedWithCustomError(g.liens, "OfferAlreadyExists")
      .withArgs(g.loanId);
  });

  it("the borrower can revoke signed terms before they are used (SignedOfferRevoked); they can never be used after", async function () {
    const f = await loadFixture(signedFixture);
    await expect(f.liens.connect(f.bank).revokeSignedOffer(f.terms))
      .to.be.revertedWithCustomError(f.liens, "NotBorrower")
      .withArgs(f.loanId, f.bank.address);
    await expect(f.liens.connect(f.orchard).revokeSignedOffer(f.terms)).to.emit(f.liens, "SignedOfferRevoked").withArgs(f.loanId);
    expect((await f.liens.loanOf(f.loanId)).status).to.equal(LoanStatus.Withdrawn);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.liens, "OfferAlreadyExists")
      .withArgs(f.loanId);
    await expect(f.liens.connect(f.orchard).revokeSignedOffer(f.terms))
      .to.be.revertedWithCustomError(f.liens, "InvalidLoanStatus")
      .withArgs(f.loanId, LoanStatus.Withdrawn);
  });

  it("cannot double-pledge: goods under a lien refuse a signed pledge too (CollateralAlreadyPledged)", async function () {
    const f = await loadFixture(signedFixture);
    await f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature);
    const toSecondBank = f.termsFor({ financier: f.secondBank.address, salt: ZERO_HASH });
    const signature = await signTerms(f.orchard, f.liens, toSecondBank);
    await expect(f.liens.connect(f.secondBank).acceptSigned(toSecondBank, VALUATION, signature))
      .to.be.revertedWithCustomError(f.liens, "CollateralAlreadyPledged")
      .withArgs(f.key, f.loanId);
  });

  it("checks the caller, the terms and the parties as offer and accept do", async function () {
    const f = await loadFixture(signedFixture);
    await expect(f.liens.connect(f.secondBank).acceptSigned(f.terms, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.liens, "NotFinancier")
      .withArgs(f.loanId, f.secondBank.address);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, BigInt(f.terms.principal), f.signature))
      .to.be.revertedWithCustomError(f.liens, "LtvAboveMarginCall");
    await time.increaseTo(BigInt(f.terms.offerExpiresAt) + 1n);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.liens, "InvalidTerms")
      .withArgs("offerExpiresAt");
  });

  it("refuses a suspended borrower and terms whose borrower does not hold the receipt", async function () {
    const f = await loadFixture(signedFixture);
    await f.registry.connect(f.admin).suspend(f.orchard.address, ZERO_HASH);
    await expect(f.liens.connect(f.bank).acceptSigned(f.terms, VALUATION, f.signature))
      .to.be.revertedWithCustomError(f.registry, "MissingRole")
      .withArgs(f.orchard.address, Role.ANY_MEMBER);
    await f.registry.connect(f.admin).reinstate(f.orchard.address, ZERO_HASH);

    const byBuyer = f.termsFor({ borrower: f.buyer.address });
    const signature = await signTerms(f.buyer, f.liens, byBuyer);
    await expect(f.liens.connect(f.bank).acceptSigned(byBuyer, VALUATION, signature))
      .to.be.revertedWithCustomError(f.liens, "NotCollateralHolder")
      .withArgs(f.terms.collateral, f.receiptId, f.buyer.address, f.orchard.address);
  });
});
