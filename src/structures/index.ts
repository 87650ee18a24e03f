// Public surface of the structures stage; other stages import only from here.
export {};
