// Public surface of the engine stage; other stages import only from here.
export {};
