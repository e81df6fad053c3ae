import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError } from "../errors";
import type { ProductWithRegistrant, ProductsRepository } from "./products.repository";
import type { ListProductsQuery, ProductView } from "./products.schemas";

function toProductView({ product, registrantName }: ProductWithRegistrant): ProductView {
  return {
    gtin: product.gtin,
    name: product.name,
    hsCode: product.hsCode,
    uri: product.uri,
    registrant: { address: product.registrant, name: registrantName },
    registeredAt: product.registeredAt,
    registeredBlock: product.registeredBlock,
    txHash: product.txHash,
  };
}

export function createProductsService(repository: ProductsRepository) {
  return {
    async get(gtin: string): Promise<ProductView> {
      const row = await repository.find(gtin);
      if (!row) throw new NotFoundError("Product", gtin);
      return toProductView(row);
    },
    async list(query: ListProductsQuery): Promise<Page<ProductView>> {
      const after = decodeCursor<[string]>(query.cursor, ["string"])?.[0];
      const rows = await repository.list({ registrant: query.registrant, hsPrefix: query.hsCode, after, limit: query.limit });
      return toPage(rows, query.limit, toProductView, (row) => [row.product.gtin]);
    },
  };
}
