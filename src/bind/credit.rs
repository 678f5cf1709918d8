//! JavaScript surface of the credit rules engine.
