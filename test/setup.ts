import { debugCow } from '../src/model/core/cow.js';

// The suite runs the model as a debug kernel runs with CONFIG_DEBUG_VM: sealed Worlds are frozen all
// the way down, so a model function writing into data it did not take through an accessor throws.
debugCow(true);
