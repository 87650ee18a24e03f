// Public surface of the library stage; other stages import only from here.
export {};
