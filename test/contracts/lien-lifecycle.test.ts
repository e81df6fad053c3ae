/// <reference types="mocha" />
import { expect } from "chai";
import { hashOf, loadFixture, Role, time, ZERO_HASH } from "./fixtures";
import {
  activeLoanFixture,
  defaultedLoanFixture,
  LoanStatus,
  LTV_BPS,
  MARGIN_CALL_BPS,
  offeredFixture,
  pledge,
  PRINCIPAL,
  REGISTRATION_NUMBER,
  REPAYMENT_REF,
  VALUATION,
} from "./lien-fixtures";

type ActiveLoan = Awaited<ReturnType<typeof activeLoanFixture>>;

/**
 * The financier-only calls on an active loan, each with arguments that would succeed. Every one of
 * them must refuse another caller, a suspended financier and a loan that is not active.
 */
const FINANCIER_ACTIONS: { name: string; run: (f: ActiveLoan, as: ActiveLoan["bank"]) => Promise<unknown> }[] = [
  { name: "recordRepayment", run: (f, as) => f.liens.connect(as).recordRepayment(f.terms, 1n, REPAYMENT_REF) },
  { name: "releasePart", run: (f, as) => f.liens.connect(as).releasePart(f.terms, 100n) },
  { name: "release", run: (f, as) => f.liens.connect(as).release(f.terms) },
  { name: "revalue", run: (f, as) => f.liens.connect(as).revalue(f.terms, VALUATION) },
  { name: "enforce", run: (f, as) => f.liens.connect(as).enforce(f.terms, as.address) },
  { name: "recordRegistration", run: (f, as) => f.liens.connect(as).recordRegistration(f.terms, REGISTRATION_NUMBER) },
];

describe("LienRegistry: financier actions on an active loan", function () {
  for (const action of FINANCIER_ACTIONS) {
    describe(action.name, function () {
      it("refuses the borrower and other financiers (NotFinancier)", async function () {
        const f = await loadFixture(activeLoanFixture);
        for (const caller of [f.orchard, f.secondBank]) {
          await expect(action.run(f, caller))
            .to.be.revertedWithCustomError(f.liens, "NotFinancier")
            .withArgs(f.loanId, caller.address);
        }
      });

      it("refuses a suspended financier (MissingRole)", async function () {
        const f = await loadFixture(activeLoanFixture);
        await f.registry.connect(f.admin).suspend(f.bank.address, hashOf("licence review"));
        await expect(action.run(f, f.bank))
          .to.be.revertedWithCustomError(f.registry, "MissingRole")
          .withArgs(f.bank.address, Role.FINANCIER);
      });

      it("refuses an offer not yet accepted (InvalidLoanStatus Offered)", async function () {
        const f = await loadFixture(offeredFixture);
        await expect(action.run(f as ActiveLoan, f.bank))
          .to.be.revertedWithCustomError(f.liens, "InvalidLoanStatus")
          .withArgs(f.loanId, LoanStatus.Offered);
      });

      it("refuses a released loan (InvalidLoanStatus Released)", async function () {
        const f = await loadFixture(activeLoanFixture);
        await f.liens.connect(f.bank).release(f.terms);
        await expect(action.run(f, f.bank))
          .to.be.revertedWithCustomError(f.liens, "InvalidLoanStatus")
          .withArgs(f.loanId, LoanStatus.Released);
      });
    });
  }
});

describe("LienRegistry: recordRepayment", function () {
  it("lowers the outstanding amount and emits RepaymentRecorded with it", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).recordRepayment(terms, 20_000_000n, REPAYMENT_REF))
      .to.emit(liens, "RepaymentRecorded")
      .withArgs(loanId, 20_000_000n, PRINCIPAL - 20_000_000n, REPAYMENT_REF);
    const loan = await liens.loanOf(loanId);
    expect(loan.outstanding).to.equal(PRINCIPAL - 20_000_000n);
    // The ratio stays that of the last valuation until the financier revalues.
    expect(loan.ltvBps).to.equal(LTV_BPS);
    expect(loan.valuation).to.equal(VALUATION);
    expect(loan.status).to.equal(LoanStatus.Active);
  });

  it("takes the last unit: outstanding zero, the loan stays active until released", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await liens.connect(bank).recordRepayment(terms, PRINCIPAL - 1n, REPAYMENT_REF);
    await expect(liens.connect(bank).recordRepayment(terms, 1n, ZERO_HASH))
      .to.emit(liens, "RepaymentRecorded")
      .withArgs(loanId, 1n, 0n, ZERO_HASH);
    expect((await liens.loanOf(loanId)).status).to.equal(LoanStatus.Active);
  });

  it("refuses more than is outstanding (RepaymentExceedsOutstanding)", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).recordRepayment(terms, PRINCIPAL + 1n, REPAYMENT_REF))
      .to.be.revertedWithCustomError(liens, "RepaymentExceedsOutstanding")
      .withArgs(loanId, PRINCIPAL + 1n, PRINCIPAL);
    await liens.connect(bank).recordRepayment(terms, PRINCIPAL, REPAYMENT_REF);
    await expect(liens.connect(bank).recordRepayment(terms, 1n, REPAYMENT_REF))
      .to.be.revertedWithCustomError(liens, "RepaymentExceedsOutstanding")
      .withArgs(loanId, 1n, 0n);
  });

  it("refuses a zero repayment (ZeroRepayment)", async function () {
    const { liens, bank, terms } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).recordRepayment(terms, 0n, REPAYMENT_REF)).to.be.revertedWithCustomError(
      liens,
      "ZeroRepayment",
    );
  });
});

describe("LienRegistry: revalue", function () {
  it("stores the valuation and the ratio of the outstanding amount to it (CollateralValued)", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await liens.connect(bank).recordRepayment(terms, 30_000_000n, REPAYMENT_REF);
    // 30,000,000 outstanding / 90,000,000 = 3,333.33 bps -> 3,334
    const tx = liens.connect(bank).revalue(terms, 90_000_000n);
    await expect(tx).to.emit(liens, "CollateralValued").withArgs(loanId, 90_000_000n, 3_334n);
    await expect(tx).not.to.emit(liens, "MarginCall");
    const loan = await liens.loanOf(loanId);
    expect(loan.valuation).to.equal(90_000_000n);
    expect(loan.ltvBps).to.equal(3_334n);
    expect(loan.outstanding).to.equal(30_000_000n);
  });

  it("emits MarginCall when the ratio passes the agreed level", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    // Apple prices fell: 60,000,000 / 70,000,000 = 8,571.43 bps -> 8,572 > 8,000
    const tx = liens.connect(bank).revalue(terms, 70_000_000n);
    await expect(tx).to.emit(liens, "CollateralValued").withArgs(loanId, 70_000_000n, 8_572n);
    await expect(tx).to.emit(liens, "MarginCall").withArgs(loanId, 8_572n, MARGIN_CALL_BPS);
  });

  it("emits no MarginCall at exactly the agreed level", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    const tx = liens.connect(bank).revalue(terms, 75_000_000n);
    await expect(tx).to.emit(liens, "CollateralValued").withArgs(loanId, 75_000_000n, MARGIN_CALL_BPS);
    await expect(tx).not.to.emit(liens, "MarginCall");
  });

  it("gives a zero ratio once everything is repaid", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await liens.connect(bank).recordRepayment(terms, PRINCIPAL, REPAYMENT_REF);
    await expect(liens.connect(bank).revalue(terms, 1n)).to.emit(liens, "CollateralValued").withArgs(loanId, 1n, 0n);
  });

  it("refuses a zero valuation (ZeroValuation)", async function () {
    const { liens, bank, terms } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).revalue(terms, 0n)).to.be.revertedWithCustomError(liens, "ZeroValuation");
  });
});

describe("LienRegistry: releasePart", function () {
  it("splits a free receipt off for the holder; the rest stays pledged under the same lien", async function () {
    const { liens, receipts, bank, orchard, terms, loanId, key, receiptId } = await loadFixture(activeLoanFixture);
    const releasedId = await liens.connect(bank).releasePart.staticCall(terms, 400n);
    const tx = liens.connect(bank).releasePart(terms, 400n);
    await expect(tx).to.emit(liens, "CollateralPartReleased").withArgs(loanId, releasedId, 400n);
    await expect(tx).to.emit(receipts, "Transfer");

    const released = await receipts.receiptOf(releasedId);
    expect(released.holder).to.equal(orchard.address);
    expect(released.quantity).to.equal(400n);
    expect(released.pledged).to.equal(false);
    const rest = await receipts.receiptOf(receiptId);
    expect(rest.quantity).to.equal(600n);
    expect(rest.pledged).to.equal(true);

    expect(await liens.lienOn(key)).to.equal(loanId);
    expect(await receipts.collateralKey(receiptId)).to.equal(key);
    expect(await liens.lienOn(await receipts.collateralKey(releasedId))).to.equal(ZERO_HASH);
    expect((await liens.loanOf(loanId)).outstanding).to.equal(PRINCIPAL);
  });

  it("refuses to release the whole quantity or nothing (the module's InvalidSplit): that is release", async function () {
    const { liens, receipts, bank, terms, receiptId } = await loadFixture(activeLoanFixture);
    for (const quantity of [0n, 1000n, 1001n, 2n ** 96n]) {
      await expect(liens.connect(bank).releasePart(terms, quantity))
        .to.be.revertedWithCustomError(receipts, "InvalidSplit")
        .withArgs(receiptId);
    }
  });

  it("runs a drawdown step by step: repay part, release part, trade the free part, pledge it elsewhere", async function () {
    const { liens, receipts, ledger, bank, secondBank, orchard, juicePlant, terms, termsFor, loanId, key, receiptId } =
      await loadFixture(activeLoanFixture);
    // The orchard repays 40 % and the bank frees 40 % of the apples.
    await liens.connect(bank).recordRepayment(terms, 24_000_000n, REPAYMENT_REF);
    const firstPart = await liens.connect(bank).releasePart.staticCall(terms, 400n);
    await liens.connect(bank).releasePart(terms, 400n);

    // The free part is sold to the juice plant; the pledged rest cannot move.
    await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, firstPart))
      .to.emit(receipts, "Transfer")
      .withArgs(orchard.address, juicePlant.address, firstPart);
    await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
      .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
      .withArgs(receiptId);

    // The juice plant pledges its part to another bank: other goods, another lien.
    const juiceTerms = termsFor({
      collateralId: firstPart,
      borrower: juicePlant.address,
      financier: secondBank.address,
      principal: 20_000_000n,
    });
    const juiceLoan = await pledge(liens, juiceTerms, 40_000_000n);
    expect(await liens.lienOn(await receipts.collateralKey(firstPart))).to.equal(juiceLoan);

    // A second step: another 300 freed after another repayment; 300 stay pledged.
    await liens.connect(bank).recordRepayment(terms, 18_000_000n, REPAYMENT_REF);
    const secondPart = await liens.connect(bank).releasePart.staticCall(terms, 300n);
    await liens.connect(bank).releasePart(terms, 300n);
    expect((await receipts.receiptOf(secondPart)).pledged).to.equal(false);
    expect((await receipts.receiptOf(receiptId)).quantity).to.equal(300n);
    expect(await liens.lienOn(key)).to.equal(loanId);
    expect((await liens.loanOf(loanId)).outstanding).to.equal(18_000_000n);

    // The goods never left the warehouse: the three batches still add up to the deposit.
    const quantities = await Promise.all(
      [receiptId, firstPart, secondPart].map(async (id) => (await ledger.batchOf((await receipts.receiptOf(id)).batchId)).quantity),
    );
    expect(quantities.reduce((a, b) => a + b, 0n)).to.equal(1000n);
  });
});

describe("LienRegistry: release", function () {
  it("ends the lien (Released, LienReleased) and frees the receipt", async function () {
    const { liens, receipts, bank, orchard, juicePlant, terms, loanId, key, receiptId } =
      await loadFixture(activeLoanFixture);
    await liens.connect(bank).recordRepayment(terms, PRINCIPAL, REPAYMENT_REF);
    const tx = liens.connect(bank).release(terms);
    await expect(tx).to.emit(liens, "LienReleased").withArgs(loanId, key);
    await expect(tx).to.emit(receipts, "PledgeStatusChanged").withArgs(receiptId, false);

    expect((await liens.loanOf(loanId)).status).to.equal(LoanStatus.Released);
    expect(await liens.lienOn(key)).to.equal(ZERO_HASH);
    expect((await receipts.receiptOf(receiptId)).pledged).to.equal(false);
    await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId)).to.emit(
      receipts,
      "Transfer",
    );
  });

  it("is the financier's call even with an amount outstanding", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).release(terms)).to.emit(liens, "LienReleased");
    const loan = await liens.loanOf(loanId);
    expect(loan.status).to.equal(LoanStatus.Released);
    expect(loan.outstanding).to.equal(PRINCIPAL);
  });

  it("works on a frozen receipt: ending a lien moves no goods", async function () {
    const { liens, receipts, regulator, bank, terms, receiptId } = await loadFixture(activeLoanFixture);
    await receipts.connect(regulator).freeze(receiptId, hashOf("court order"));
    await expect(liens.connect(bank).release(terms)).to.emit(liens, "LienReleased");
    const receipt = await receipts.receiptOf(receiptId);
    expect(receipt.pledged).to.equal(false);
    expect(receipt.frozen).to.equal(true);
  });

  it("lets the holder pledge the goods again afterwards, to any financier", async function () {
    const { liens, bank, secondBank, terms, termsFor, key } = await loadFixture(activeLoanFixture);
    await liens.connect(bank).release(terms);
    const next = await pledge(liens, termsFor({ financier: secondBank.address, salt: hashOf("refinancing") }));
    expect(await liens.lienOn(key)).to.equal(next);
  });
});

describe("LienRegistry: enforce", function () {
  it("to the financier: title moves to the bank, the lien is gone (Enforced, LienEnforced)", async function () {
    const { liens, receipts, bank, orchard, terms, loanId, key, receiptId } = await loadFixture(defaultedLoanFixture);
    const tx = liens.connect(bank).enforce(terms, bank.address);
    await expect(tx).to.emit(liens, "LienEnforced").withArgs(loanId, key, bank.address);
    await expect(tx).to.emit(receipts, "Transfer").withArgs(orchard.address, bank.address, receiptId);
    await expect(tx).to.emit(receipts, "PledgeStatusChanged").withArgs(receiptId, false);

    const loan = await liens.loanOf(loanId);
    expect(loan.status).to.equal(LoanStatus.Enforced);
    expect(loan.outstanding).to.equal(PRINCIPAL);
    expect(await liens.lienOn(key)).to.equal(ZERO_HASH);
    const receipt = await receipts.receiptOf(receiptId);
    expect(receipt.holder).to.equal(bank.address);
    expect(receipt.pledged).to.equal(false);
  });

  it("to a buyer: title moves to the buyer, who can then pledge the same goods anew", async function () {
    const { liens, receipts, bank, secondBank, buyer, terms, termsFor, loanId, key, receiptId } =
      await loadFixture(defaultedLoanFixture);
    await liens.connect(bank).recordRepayment(terms, 10_000_000n, REPAYMENT_REF);
    await expect(liens.connect(bank).enforce(terms, buyer.address))
      .to.emit(liens, "LienEnforced")
      .withArgs(loanId, key, buyer.address);
    expect(await receipts.ownerOf(receiptId)).to.equal(buyer.address);
    expect(await liens.lienOn(key)).to.equal(ZERO_HASH);

    const now = BigInt(await time.latest());
    const buyerTerms = termsFor({
      borrower: buyer.address,
      financier: secondBank.address,
      maturity: now + 90n * 86_400n,
      offerExpiresAt: now + 86_400n,
    });
    const buyerLoan = await pledge(liens, buyerTerms);
    expect(await liens.lienOn(key)).to.equal(buyerLoan);
    expect((await receipts.receiptOf(receiptId)).pledged).to.equal(true);
  });

  it("refuses before maturity and at maturity itself (NotMatured)", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).enforce(terms, bank.address))
      .to.be.revertedWithCustomError(liens, "NotMatured")
      .withArgs(loanId, terms.maturity);
    await time.setNextBlockTimestamp(terms.maturity);
    await expect(liens.connect(bank).enforce(terms, bank.address))
      .to.be.revertedWithCustomError(liens, "NotMatured")
      .withArgs(loanId, terms.maturity);
    await expect(liens.connect(bank).enforce(terms, bank.address)).to.emit(liens, "LienEnforced");
  });

  it("refuses a repaid loan (NothingOutstanding): it is released instead", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(defaultedLoanFixture);
    await liens.connect(bank).recordRepayment(terms, PRINCIPAL, REPAYMENT_REF);
    await expect(liens.connect(bank).enforce(terms, bank.address))
      .to.be.revertedWithCustomError(liens, "NothingOutstanding")
      .withArgs(loanId);
  });

  it("refuses a buyer that is not an active member (MissingRole)", async function () {
    const { liens, registry, admin, bank, buyer, outsider, terms } = await loadFixture(defaultedLoanFixture);
    await expect(liens.connect(bank).enforce(terms, outsider.address))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(outsider.address, Role.ANY_MEMBER);
    await registry.connect(admin).suspend(buyer.address, hashOf("sanctions screening"));
    await expect(liens.connect(bank).enforce(terms, buyer.address))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(buyer.address, Role.ANY_MEMBER);
  });

  it("refuses an enforced loan a second time (InvalidLoanStatus Enforced)", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(defaultedLoanFixture);
    await liens.connect(bank).enforce(terms, bank.address);
    await expect(liens.connect(bank).enforce(terms, bank.address))
      .to.be.revertedWithCustomError(liens, "InvalidLoanStatus")
      .withArgs(loanId, LoanStatus.Enforced);
  });
});

describe("LienRegistry: recordRegistration", function () {
  it("emits RegistrationRecorded with the national registry's number", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).recordRegistration(terms, REGISTRATION_NUMBER))
      .to.emit(liens, "RegistrationRecorded")
      .withArgs(loanId, REGISTRATION_NUMBER);
  });

  it("refuses an empty number (EmptyRegistrationNumber)", async function () {
    const { liens, bank, terms } = await loadFixture(activeLoanFixture);
    await expect(liens.connect(bank).recordRegistration(terms, "")).to.be.revertedWithCustomError(
      liens,
      "EmptyRegistrationNumber",
    );
  });
});

describe("LienRegistry: multicall", function () {
  it("lets a financier accept, register and revalue in one transaction, each call as the financier", async function () {
    const { liens, bank, terms, loanId } = await loadFixture(offeredFixture);
    const calls = [
      liens.interface.encodeFunctionData("accept", [terms, VALUATION]),
      liens.interface.encodeFunctionData("recordRegistration", [terms, REGISTRATION_NUMBER]),
      liens.interface.encodeFunctionData("revalue", [terms, 70_000_000n]),
    ];
    const tx = liens.connect(bank).multicall(calls);
    await expect(tx).to.emit(liens, "LoanActivated");
    await expect(tx).to.emit(liens, "RegistrationRecorded").withArgs(loanId, REGISTRATION_NUMBER);
    await expect(tx).to.emit(liens, "MarginCall").withArgs(loanId, 8_572n, MARGIN_CALL_BPS);
  });
});
