CREATE INDEX "loan_events_reference_idx" ON "loan_events" USING btree (("details"->>'referenceHash')) WHERE ("loan_events"."details"->>'referenceHash') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "receipt_events_document_idx" ON "receipt_events" USING btree ("document_hash") WHERE "receipt_events"."document_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "receipt_events_reason_idx" ON "receipt_events" USING btree (("details"->>'reasonHash')) WHERE ("receipt_events"."details"->>'reasonHash') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "receivable_events_reason_idx" ON "receivable_events" USING btree (("details"->>'reasonHash')) WHERE ("receivable_events"."details"->>'reasonHash') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "receivable_events_reference_idx" ON "receivable_events" USING btree (("details"->>'referenceHash')) WHERE ("receivable_events"."details"->>'referenceHash') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "receivables_invoice_idx" ON "receivables" USING btree ("invoice_hash");--> statement-breakpoint
CREATE INDEX "receivables_document_idx" ON "receivables" USING btree ("document_hash");--> statement-breakpoint
CREATE INDEX "trace_events_document_idx" ON "trace_events" USING btree ("document_hash") WHERE "trace_events"."document_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "trace_events_reason_idx" ON "trace_events" USING btree (("details"->>'reasonHash')) WHERE ("trace_events"."details"->>'reasonHash') IS NOT NULL;--> statement-breakpoint
CREATE INDEX "warehouse_receipts_policy_idx" ON "warehouse_receipts" USING btree ("policy_hash") WHERE "warehouse_receipts"."policy_hash" IS NOT NULL;