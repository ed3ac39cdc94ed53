"""Open documents: their text kept by LSP line breaks (`text_document`), which lines each change
touched (`change_log`), one analysed version (`doc_state`), the cache of analysed versions
(`document_store`), and the bounds on what is read (`size_limit`, `disk`)."""
