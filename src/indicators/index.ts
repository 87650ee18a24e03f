// Public surface of the indicators stage; other stages import only from here.
export {};
