//! Rendering of findings. (Being written.)
