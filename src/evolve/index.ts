// Public surface of the evolve stage; other stages import only from here.
export {};
