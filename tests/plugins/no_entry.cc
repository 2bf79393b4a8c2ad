// A valid shared object with an exported function, but no dojobber entry
// point: the loader must say it is not a dojobber plugin.

extern "C" __attribute__((visibility("default"))) int no_entry_answer() { return 42; }
