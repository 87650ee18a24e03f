// Public surface of the live stage; other stages import only from here.
export {};
