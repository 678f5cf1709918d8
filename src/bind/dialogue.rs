//! JavaScript surface of the dialogue trainer.
