// Public surface of the dsl stage; other stages import only from here.
export {};
