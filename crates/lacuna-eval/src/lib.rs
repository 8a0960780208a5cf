//! Resolution, type checking and evaluation of norms. (Being written.)
