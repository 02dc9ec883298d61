// Placeholder so the package resolves while this module is written; delete when the first real file lands.
