"""Understanding: language, normalization, intent and entities (shared/spec/nlu-contract.md)."""
