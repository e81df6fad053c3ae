/// <reference types="mocha" />
import { expect } from "chai";
import { ethers } from "hardhat";
import { LienRegistry__factory } from "../../typechain-types";
import { consortiumFixture, hashOf, loadFixture, Role, time, ZERO_HASH } from "./fixtures";
import {
  activeLoanFixture,
  LoanStatus,
  loanIdOffChain,
  type LoanTerms,
  LTV_BPS,
  MARGIN_CALL_BPS,
  offeredFixture,
  pledgeFixture,
  PRINCIPAL,
  VALUATION,
} from "./lien-fixtures";
import { currency } from "./receipt-fixtures";

describe("LienRegistry: collateral modules", function () {
  it("accepts warehouse receipts from deployment (the deploy routine registers them)", async function () {
    const { liens, receipts, ledger } = await loadFixture(consortiumFixture);
    expect(await liens.isCollateralModule(await receipts.getAddress())).to.equal(true);
    expect(await liens.isCollateralModule(await ledger.getAddress())).to.equal(false);
  });

  it("registers the initial modules in the constructor, each with CollateralModuleRegistered", async function () {
    const { registry, admin, receipts } = await loadFixture(consortiumFixture);
    const other = ethers.Wallet.createRandom().address;
    const factory = new LienRegistry__factory(admin);
    const deployed = await factory.deploy(await registry.getAddress(), [await receipts.getAddress(), other]);
    const tx = deployed.deploymentTransaction()!;
    await expect(tx).to.emit(deployed, "CollateralModuleRegistered").withArgs(await receipts.getAddress());
    await expect(tx).to.emit(deployed, "CollateralModuleRegistered").withArgs(other);
    expect(await deployed.isCollateralModule(other)).to.equal(true);
  });

  it("refuses the same initial module twice", async function () {
    const { registry, admin, receipts } = await loadFixture(consortiumFixture);
    const factory = new LienRegistry__factory(admin);
    const module = await receipts.getAddress();
    await expect(factory.deploy(await registry.getAddress(), [module, module]))
      .to.be.revertedWithCustomError(factory, "CollateralModuleAlreadyRegistered")
      .withArgs(module);
  });

  it("knows no module, not even the zero address, when deployed without any", async function () {
    const { registry, admin } = await loadFixture(consortiumFixture);
    const bare = await new LienRegistry__factory(admin).deploy(await registry.getAddress(), []);
    expect(await bare.isCollateralModule(ethers.ZeroAddress)).to.equal(false);
  });

  it("lets the consortium admin register a module later (CollateralModuleRegistered)", async function () {
    const { liens, admin } = await loadFixture(consortiumFixture);
    const receivables = ethers.Wallet.createRandom().address;
    await expect(liens.connect(admin).registerCollateralModule(receivables))
      .to.emit(liens, "CollateralModuleRegistered")
      .withArgs(receivables);
    expect(await liens.isCollateralModule(receivables)).to.equal(true);
  });

  it("refuses a module registered already", async function () {
    const { liens, admin, receipts } = await loadFixture(consortiumFixture);
    await expect(liens.connect(admin).registerCollateralModule(await receipts.getAddress()))
      .to.be.revertedWithCustomError(liens, "CollateralModuleAlreadyRegistered")
      .withArgs(await receipts.getAddress());
  });

  it("refuses anyone but the consortium admin, even a member (NotConsortiumAdmin)", async function () {
    const { liens, bank, outsider } = await loadFixture(consortiumFixture);
    const module = ethers.Wallet.createRandom().address;
    for (const caller of [bank, outsider]) {
      await expect(liens.connect(caller).registerCollateralModule(module))
        .to.be.revertedWithCustomError(liens, "NotConsortiumAdmin")
        .withArgs(caller.address);
    }
  });

  it("follows an admin handover of the member registry", async function () {
    const { liens, registry, admin, outsider } = await loadFixture(consortiumFixture);
    await registry.connect(admin).transferOwnership(outsider.address);
    await registry.connect(outsider).acceptOwnership();
    const module = ethers.Wallet.createRandom().address;
    await expect(liens.connect(admin).registerCollateralModule(module))
      .to.be.revertedWithCustomError(liens, "NotConsortiumAdmin")
      .withArgs(admin.address);
    await expect(liens.connect(outsider).registerCollateralModule(module)).to.emit(liens, "CollateralModuleRegistered");
  });
});

describe("LienRegistry: loan ids", function () {
  it("are the EIP-712 typed-data hash of the terms under 'TraceFin LienRegistry' version 1", async function () {
    const { liens, terms } = await loadFixture(pledgeFixture);
    expect(await liens.loanIdOf(terms)).to.equal(await loanIdOffChain(liens, terms));
    const domain = await liens.eip712Domain();
    expect(domain.name).to.equal("TraceFin LienRegistry");
    expect(domain.version).to.equal("1");
    expect(domain.verifyingContract).to.equal(await liens.getAddress());
  });

  it("publishes the type hash over all eleven fields", async function () {
    const { liens } = await loadFixture(pledgeFixture);
    expect(await liens.LOAN_TERMS_TYPEHASH()).to.equal(
      ethers.id(
        "LoanTerms(address collateral,uint256 collateralId,address borrower,address financier,uint96 principal," +
          "bytes3 currency,uint64 maturity,uint32 rateBps,uint32 marginCallLtvBps,uint64 offerExpiresAt,bytes32 salt)",
      ),
    );
  });

  it("refuses terms with dirty high-order bits at offer (they would hash to another id)", async function () {
    const { liens, orchard, terms } = await loadFixture(pledgeFixture);
    const data = liens.interface.encodeFunctionData("offer", [terms]);
    // The eighth word after the selector is rateBps, a uint32: set a bit far above it.
    const at = 2 + 8 + 7 * 64;
    const dirty = data.slice(0, at) + "01" + data.slice(at + 2);
    await expect(orchard.sendTransaction({ to: await liens.getAddress(), data: dirty })).to.be.reverted;
    await expect(orchard.sendTransaction({ to: await liens.getAddress(), data })).to.emit(liens, "PledgeOffered");
  });

  describe("tampering with the terms of an active loan", function () {
    const tampered: Record<keyof LoanTerms, (t: LoanTerms) => unknown> = {
      collateral: () => ethers.Wallet.createRandom().address,
      collateralId: (t) => BigInt(t.collateralId) + 1n,
      borrower: () => ethers.Wallet.createRandom().address,
      financier: () => ethers.Wallet.createRandom().address,
      principal: (t) => BigInt(t.principal) - 1n,
      currency: () => currency("USD"),
      maturity: (t) => BigInt(t.maturity) + 1n,
      rateBps: (t) => BigInt(t.rateBps) + 1n,
      marginCallLtvBps: (t) => BigInt(t.marginCallLtvBps) + 1n,
      offerExpiresAt: (t) => BigInt(t.offerExpiresAt) - 1n,
      salt: () => hashOf("another salt"),
    };

    for (const [field, change] of Object.entries(tampered) as [keyof LoanTerms, (t: LoanTerms) => unknown][]) {
      it(`changing ${field} names another, unknown loan`, async function () {
        const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
        const forged = { ...terms, [field]: change(terms) };
        const forgedId = await liens.loanIdOf(forged);
        expect(forgedId).not.to.equal(loanId);
        expect(forgedId).to.equal(await loanIdOffChain(liens, forged));
        expect((await liens.loanOf(forgedId)).status).to.equal(LoanStatus.None);
        if (field === "financier") {
          // The bank is no longer the financier the forged terms name.
          await expect(liens.connect(bank).release(forged))
            .to.be.revertedWithCustomError(liens, "NotFinancier")
            .withArgs(forgedId, bank.address);
        } else {
          await expect(liens.connect(bank).release(forged))
            .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
            .withArgs(forgedId, LoanStatus.None);
        }
        expect((await liens.loanOf(loanId)).status).to.equal(LoanStatus.Active);
      });
    }
  });
});

describe("LienRegistry: offer", function () {
  it("records the offer (Offered, outstanding = principal) and emits PledgeOffered with every term", async function () {
    const { liens, receipts, orchard, bank, terms, key } = await loadFixture(pledgeFixture);
    const loanId = await liens.loanIdOf(terms);
    expect(await liens.connect(orchard).offer.staticCall(terms)).to.equal(loanId);

    await expect(liens.connect(orchard).offer(terms))
      .to.emit(liens, "PledgeOffered")
      .withArgs(
        loanId,
        await receipts.getAddress(),
        terms.collateralId,
        orchard.address,
        bank.address,
        PRINCIPAL,
        terms.currency,
        terms.maturity,
        terms.rateBps,
        terms.marginCallLtvBps,
        terms.offerExpiresAt,
        terms.salt,
      );
    const loan = await liens.loanOf(loanId);
    expect(loan.status).to.equal(LoanStatus.Offered);
    expect(loan.outstanding).to.equal(PRINCIPAL);
    expect(loan.valuation).to.equal(0n);
    expect(loan.ltvBps).to.equal(0n);
    // An offer is no lien: the receipt stays free.
    expect(await liens.lienOn(key)).to.equal(ZERO_HASH);
    expect((await receipts.receiptOf(terms.collateralId)).pledged).to.equal(false);
  });

  it("lets the holder make competing offers to several financiers (only one can be accepted)", async function () {
    const { liens, orchard, secondBank, terms, termsFor } = await loadFixture(pledgeFixture);
    await liens.connect(orchard).offer(terms);
    await expect(liens.connect(orchard).offer(termsFor({ financier: secondBank.address }))).to.emit(liens, "PledgeOffered");
  });

  it("refuses a caller other than the borrower named in the terms (NotBorrower)", async function () {
    const { liens, bank, juicePlant, terms } = await loadFixture(pledgeFixture);
    const loanId = await liens.loanIdOf(terms);
    for (const caller of [bank, juicePlant]) {
      await expect(liens.connect(caller).offer(terms))
        .to.be.revertedWithCustomError(liens, "NotBorrower")
        .withArgs(loanId, caller.address);
    }
  });

  it("refuses a suspended borrower (MissingRole)", async function () {
    const { liens, registry, admin, orchard, terms } = await loadFixture(pledgeFixture);
    await registry.connect(admin).suspend(orchard.address, hashOf("audit"));
    await expect(liens.connect(orchard).offer(terms))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(orchard.address, Role.ANY_MEMBER);
  });

  it("refuses an instrument of an unregistered module (UnknownCollateralModule)", async function () {
    const { liens, ledger, orchard, termsFor } = await loadFixture(pledgeFixture);
    const terms = termsFor({ collateral: await ledger.getAddress() });
    await expect(liens.connect(orchard).offer(terms))
      .to.be.revertedWithCustomError(liens, "UnknownCollateralModule")
      .withArgs(await ledger.getAddress());
  });

  it("refuses a borrower that does not hold the instrument (NotCollateralHolder)", async function () {
    const { liens, receipts, juicePlant, orchard, receiptId, termsFor } = await loadFixture(pledgeFixture);
    const terms = termsFor({ borrower: juicePlant.address });
    await expect(liens.connect(juicePlant).offer(terms))
      .to.be.revertedWithCustomError(liens, "NotCollateralHolder")
      .withArgs(await receipts.getAddress(), receiptId, juicePlant.address, orchard.address);
  });

  it("refuses a receipt that does not exist (the module's UnknownReceipt)", async function () {
    const { liens, receipts, orchard, termsFor } = await loadFixture(pledgeFixture);
    await expect(liens.connect(orchard).offer(termsFor({ collateralId: 99n })))
      .to.be.revertedWithCustomError(receipts, "UnknownReceipt")
      .withArgs(99n);
  });

  it("refuses a financier that is not an active FINANCIER (MissingRole)", async function () {
    const { liens, registry, admin, orchard, juicePlant, bank, outsider, termsFor } = await loadFixture(pledgeFixture);
    for (const financier of [juicePlant, outsider]) {
      await expect(liens.connect(orchard).offer(termsFor({ financier: financier.address })))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(financier.address, Role.FINANCIER);
    }
    await registry.connect(admin).suspend(bank.address, hashOf("licence review"));
    await expect(liens.connect(orchard).offer(termsFor()))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(bank.address, Role.FINANCIER);
  });

  it("refuses the borrower as its own financier (InvalidTerms('financier'))", async function () {
    const { liens, orchard, termsFor } = await loadFixture(pledgeFixture);
    await expect(liens.connect(orchard).offer(termsFor({ financier: orchard.address })))
      .to.be.revertedWithCustomError(liens, "InvalidTerms")
      .withArgs("financier");
  });

  describe("invalid terms (InvalidTerms names the field)", function () {
    const cases: { what: string; field: string; terms: (now: bigint, t: LoanTerms) => Partial<LoanTerms> }[] = [
      { what: "a zero principal", field: "principal", terms: () => ({ principal: 0n }) },
      { what: "a maturity now", field: "maturity", terms: (now) => ({ maturity: now, offerExpiresAt: now }) },
      { what: "a maturity in the past", field: "maturity", terms: (now) => ({ maturity: now - 1n }) },
      { what: "an offer expiring now", field: "offerExpiresAt", terms: (now) => ({ offerExpiresAt: now }) },
      { what: "an offer expired", field: "offerExpiresAt", terms: (now) => ({ offerExpiresAt: now - 10n }) },
      {
        what: "an offer open past maturity",
        field: "offerExpiresAt",
        terms: (_now, t) => ({ offerExpiresAt: BigInt(t.maturity) + 1n }),
      },
      { what: "a zero margin-call level", field: "marginCallLtvBps", terms: () => ({ marginCallLtvBps: 0n }) },
    ];
    for (const c of cases) {
      it(`refuses ${c.what}`, async function () {
        const { liens, orchard, terms, termsFor } = await loadFixture(pledgeFixture);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await expect(liens.connect(orchard).offer(termsFor(c.terms(now, terms))))
          .to.be.revertedWithCustomError(liens, "InvalidTerms")
          .withArgs(c.field);
      });
    }

    it("accepts an offer open until maturity", async function () {
      const { liens, orchard, terms, termsFor } = await loadFixture(pledgeFixture);
      await expect(liens.connect(orchard).offer(termsFor({ offerExpiresAt: terms.maturity }))).to.emit(liens, "PledgeOffered");
    });
  });

  for (const code of ["cny", "CN", "C1Y", "CN ", "\u0000NY"]) {
    it(`refuses the currency ${JSON.stringify(code)} (InvalidCurrency)`, async function () {
      const { liens, orchard, termsFor } = await loadFixture(pledgeFixture);
      const bytes3 = ethers.zeroPadBytes(ethers.toUtf8Bytes(code), 3);
      await expect(liens.connect(orchard).offer(termsFor({ currency: bytes3 })))
        .to.be.revertedWithCustomError(liens, "InvalidCurrency")
        .withArgs(bytes3);
    });
  }

  it("accepts any three capital letters (USD, EUR)", async function () {
    const { liens, orchard, termsFor } = await loadFixture(pledgeFixture);
    for (const code of ["USD", "EUR"]) {
      await expect(liens.connect(orchard).offer(termsFor({ currency: currency(code) }))).to.emit(liens, "PledgeOffered");
    }
  });

  it("refuses the same terms twice (OfferAlreadyExists), open or withdrawn; a new salt makes a new offer", async function () {
    const { liens, orchard, terms, termsFor, loanId } = await loadFixture(offeredFixture);
    await expect(liens.connect(orchard).offer(terms))
      .to.be.revertedWithCustomError(liens, "OfferAlreadyExists")
      .withArgs(loanId);
    await liens.connect(orchard).withdrawOffer(terms);
    await expect(liens.connect(orchard).offer(terms))
      .to.be.revertedWithCustomError(liens, "OfferAlreadyExists")
      .withArgs(loanId);
    await expect(liens.connect(orchard).offer(termsFor({ salt: hashOf("second try") }))).to.emit(liens, "PledgeOffered");
  });
});

describe("LienRegistry: withdrawOffer", function () {
  it("closes the offer (Withdrawn, OfferWithdrawn); it can no longer be accepted", async function () {
    const { liens, orchard, bank, terms, loanId } = await loadFixture(offeredFixture);
    await expect(liens.connect(orchard).withdrawOffer(terms)).to.emit(liens, "OfferWithdrawn").withArgs(loanId);
    expect((await liens.loanOf(loanId)).status).to.equal(LoanStatus.Withdrawn);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(loanId, LoanStatus.Withdrawn);
  });

  it("can be withdrawn after it expired", async function () {
    const { liens, orchard, terms, loanId } = await loadFixture(offeredFixture);
    await time.increaseTo(BigInt(terms.offerExpiresAt) + 1n);
    await expect(liens.connect(orchard).withdrawOffer(terms)).to.emit(liens, "OfferWithdrawn").withArgs(loanId);
  });

  it("refuses anyone but the borrower (NotBorrower), the financier included", async function () {
    const { liens, bank, juicePlant, terms, loanId } = await loadFixture(offeredFixture);
    for (const caller of [bank, juicePlant]) {
      await expect(liens.connect(caller).withdrawOffer(terms))
        .to.be.revertedWithCustomError(liens, "NotBorrower")
        .withArgs(loanId, caller.address);
    }
  });

  it("refuses a suspended borrower (MissingRole)", async function () {
    const { liens, registry, admin, orchard, terms } = await loadFixture(offeredFixture);
    await registry.connect(admin).suspend(orchard.address, hashOf("audit"));
    await expect(liens.connect(orchard).withdrawOffer(terms))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(orchard.address, Role.ANY_MEMBER);
  });

  it("refuses terms never offered, an offer withdrawn already and an accepted loan (InvalidLoanStatus)", async function () {
    const { liens, orchard, bank, terms, termsFor, loanId } = await loadFixture(offeredFixture);
    const never = termsFor({ salt: hashOf("never offered") });
    await expect(liens.connect(orchard).withdrawOffer(never))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(await liens.loanIdOf(never), LoanStatus.None);

    await liens.connect(bank).accept(terms, VALUATION);
    await expect(liens.connect(orchard).withdrawOffer(terms))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(loanId, LoanStatus.Active);
  });

  it("refuses a second withdrawal", async function () {
    const { liens, orchard, terms, loanId } = await loadFixture(offeredFixture);
    await liens.connect(orchard).withdrawOffer(terms);
    await expect(liens.connect(orchard).withdrawOffer(terms))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(loanId, LoanStatus.Withdrawn);
  });
});

describe("LienRegistry: accept", function () {
  it("activates the loan, puts the lien on the goods and locks the receipt", async function () {
    const { liens, receipts, bank, terms, loanId, key, receiptId } = await loadFixture(offeredFixture);
    const tx = liens.connect(bank).accept(terms, VALUATION);
    await expect(tx).to.emit(liens, "LoanActivated").withArgs(loanId, key, VALUATION, LTV_BPS);
    await expect(tx).to.emit(receipts, "PledgeStatusChanged").withArgs(receiptId, true);

    const loan = await liens.loanOf(loanId);
    expect(loan.status).to.equal(LoanStatus.Active);
    expect(loan.outstanding).to.equal(PRINCIPAL);
    expect(loan.valuation).to.equal(VALUATION);
    expect(loan.ltvBps).to.equal(LTV_BPS);
    expect(await liens.lienOn(key)).to.equal(loanId);
    expect((await receipts.receiptOf(receiptId)).pledged).to.equal(true);
  });

  it("rounds the loan-to-value ratio up (in the lender's favour)", async function () {
    const { liens, orchard, bank, termsFor, key } = await loadFixture(pledgeFixture);
    // 60,000,000 / 70,000,000 = 8,571.43 bps -> 8,572, under a 9,000 bps margin-call level
    const terms = termsFor({ marginCallLtvBps: 9_000n });
    await liens.connect(orchard).offer(terms);
    await expect(liens.connect(bank).accept(terms, 70_000_000n))
      .to.emit(liens, "LoanActivated")
      .withArgs(await liens.loanIdOf(terms), key, 70_000_000n, 8_572n);
  });

  it("refuses a valuation putting the loan at the margin-call level (LtvAboveMarginCall)", async function () {
    const { liens, bank, terms } = await loadFixture(offeredFixture);
    // 60,000,000 / 75,000,000 = exactly 8,000 bps
    await expect(liens.connect(bank).accept(terms, 75_000_000n))
      .to.be.revertedWithCustomError(liens, "LtvAboveMarginCall")
      .withArgs(MARGIN_CALL_BPS, MARGIN_CALL_BPS);
    // one unit more of valuation: 7,999.99... rounds up to 8,000 as well
    await expect(liens.connect(bank).accept(terms, 75_000_001n))
      .to.be.revertedWithCustomError(liens, "LtvAboveMarginCall")
      .withArgs(MARGIN_CALL_BPS, MARGIN_CALL_BPS);
    // 7,999.47 bps rounds up to 8,000 too; 76,000,000 gives 7,895
    await expect(liens.connect(bank).accept(terms, 75_005_000n))
      .to.be.revertedWithCustomError(liens, "LtvAboveMarginCall")
      .withArgs(MARGIN_CALL_BPS, MARGIN_CALL_BPS);
    await expect(liens.connect(bank).accept(terms, 76_000_000n)).to.emit(liens, "LoanActivated");
  });

  it("caps the ratio at the largest uint32 for a tiny valuation", async function () {
    const { liens, orchard, bank, termsFor } = await loadFixture(pledgeFixture);
    const maxUint32 = 2n ** 32n - 1n;
    const terms = termsFor({ principal: 2n ** 96n - 1n, marginCallLtvBps: maxUint32 });
    await liens.connect(orchard).offer(terms);
    await expect(liens.connect(bank).accept(terms, 1n))
      .to.be.revertedWithCustomError(liens, "LtvAboveMarginCall")
      .withArgs(maxUint32, maxUint32);
  });

  it("refuses a zero valuation (ZeroValuation)", async function () {
    const { liens, bank, terms } = await loadFixture(offeredFixture);
    await expect(liens.connect(bank).accept(terms, 0n)).to.be.revertedWithCustomError(liens, "ZeroValuation");
  });

  it("refuses anyone but the financier named in the terms (NotFinancier)", async function () {
    const { liens, orchard, secondBank, terms, loanId } = await loadFixture(offeredFixture);
    for (const caller of [secondBank, orchard]) {
      await expect(liens.connect(caller).accept(terms, VALUATION))
        .to.be.revertedWithCustomError(liens, "NotFinancier")
        .withArgs(loanId, caller.address);
    }
  });

  it("refuses a financier suspended or stripped of the FINANCIER role since the offer (MissingRole)", async function () {
    const { liens, registry, admin, bank, terms } = await loadFixture(offeredFixture);
    await registry.connect(admin).setRoles(bank.address, Role.ENTERPRISE);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(bank.address, Role.FINANCIER);
    await registry.connect(admin).setRoles(bank.address, Role.FINANCIER);
    await registry.connect(admin).suspend(bank.address, hashOf("licence review"));
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(bank.address, Role.FINANCIER);
  });

  it("refuses terms never offered (InvalidLoanStatus None) and a loan accepted already (Active)", async function () {
    const { liens, bank, terms, termsFor, loanId } = await loadFixture(offeredFixture);
    const never = termsFor({ salt: hashOf("never offered") });
    await expect(liens.connect(bank).accept(never, VALUATION))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(await liens.loanIdOf(never), LoanStatus.None);
    await liens.connect(bank).accept(terms, VALUATION);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(loanId, LoanStatus.Active);
  });

  it("accepts up to and including the second the offer expires", async function () {
    const { liens, bank, terms } = await loadFixture(offeredFixture);
    await time.setNextBlockTimestamp(terms.offerExpiresAt);
    await expect(liens.connect(bank).accept(terms, VALUATION)).to.emit(liens, "LoanActivated");
  });

  it("refuses an expired offer (OfferExpired)", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(offeredFixture);
    await time.increaseTo(BigInt(terms.offerExpiresAt) + 1n);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(liens, "OfferExpired")
      .withArgs(loanId, terms.offerExpiresAt);
  });

  it("refuses when the borrower was suspended after offering (MissingRole)", async function () {
    const { liens, registry, admin, orchard, bank, terms } = await loadFixture(offeredFixture);
    await registry.connect(admin).suspend(orchard.address, hashOf("fraud inquiry"));
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(orchard.address, Role.ANY_MEMBER);
  });

  it("refuses when the borrower sold the receipt after offering (NotCollateralHolder)", async function () {
    const { liens, receipts, orchard, juicePlant, bank, terms, receiptId } = await loadFixture(offeredFixture);
    await receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(liens, "NotCollateralHolder")
      .withArgs(await receipts.getAddress(), receiptId, orchard.address, juicePlant.address);
  });

  it("refuses an expired receipt (the module's ReceiptExpired)", async function () {
    const { liens, receipts, bank, termsFor, orchard, receiptId, expiresAt } = await loadFixture(pledgeFixture);
    // An offer running past the receipt's storage term.
    const terms = termsFor({ maturity: expiresAt + 1_000_000n, offerExpiresAt: expiresAt + 1_000n });
    await liens.connect(orchard).offer(terms);
    await time.increaseTo(expiresAt);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(receipts, "ReceiptExpired")
      .withArgs(receiptId, expiresAt);
  });

  it("refuses a receipt whose redemption was requested (the module's RedemptionPending)", async function () {
    const { liens, receipts, orchard, bank, terms, receiptId } = await loadFixture(offeredFixture);
    await receipts.connect(orchard).requestRedemption(receiptId);
    await expect(liens.connect(bank).accept(terms, VALUATION))
      .to.be.revertedWithCustomError(receipts, "RedemptionPending")
      .withArgs(receiptId);
  });
});
