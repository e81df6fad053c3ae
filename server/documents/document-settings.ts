import type { AppConfig } from "../../shared/config";
import { createLocalDocumentStore, type DocumentStore } from "./document-store";

export interface DocumentOptions {
  store: DocumentStore;
  /** Largest upload in bytes; larger bodies are refused with 413 before they are stored. */
  maxBytes: number;
}

/** The document store and limits the configuration names (DOCUMENTS_DIR, DOCUMENT_MAX_BYTES). */
export function documentOptionsFromConfig(config: Pick<AppConfig, "documentsDir" | "DOCUMENT_MAX_BYTES">): DocumentOptions {
  return { store: createLocalDocumentStore(config.documentsDir), maxBytes: config.DOCUMENT_MAX_BYTES };
}
