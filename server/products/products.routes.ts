import type { RouteTable } from "../http/route";
import { listProductsQuery, productPageSchema, productParams, productSchema } from "./products.schemas";
import type { createProductsService } from "./products.service";

export function productRoutes(routes: RouteTable, service: ReturnType<typeof createProductsService>): void {
  routes.add({
    method: "get",
    path: "/api/v1/products",
    operationId: "listProducts",
    tag: "Products",
    summary: "List registered products, by registrant or HS code prefix",
    query: listProductsQuery,
    response: productPageSchema,
    handler: ({ query }) => service.list(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/products/:gtin",
    operationId: "getProduct",
    tag: "Products",
    summary: "One product by GTIN (8, 12, 13 or 14 digits)",
    params: productParams,
    response: productSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.gtin),
  });
}
