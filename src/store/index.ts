// Public surface of the store stage; other stages import only from here.
export {};
