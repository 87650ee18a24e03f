// Public surface of the agent stage; other stages import only from here.
export {};
