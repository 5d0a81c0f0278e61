// A deliberately small RTL debug unit: the design under test of the DPI-C co-simulation test.
// It implements only what the test program exercises: IAC1 exact compare, DBCR0[IDM], MSR[DE],
// a sticky DBSR with IDE for events recorded while DE=0, mtspr DBSR write-1-to-clear, mtmsr, and
// the level-sensitive debug interrupt (e500v2 critical class: CSRR0 = saved PC, MSR keeps ME).
// `bug` plants the mistake the co-simulation must catch: a delayed interrupt that fires at an
// mtmsr saves the mtmsr's own address instead of the next instruction's.
module dut_dbg (
    input  logic        clk,
    input  logic        valid,       // an instruction completes this cycle
    input  logic [31:0] pc,
    input  logic        is_mtmsr,
    input  logic        is_mtspr_dbsr,
    input  logic [31:0] value,       // mtmsr / mtspr source
    input  logic        bug,
    // back door, as the testbench's reset sequence
    input  logic        init,
    input  logic [31:0] init_msr, init_dbcr0, init_iac1,
    // what this instruction does (combinational: the state after it)
    output logic [31:0] dbsr_next,
    output logic        take_debug,
    output logic [31:0] saved_pc
);
  localparam logic [31:0] MSR_DE = 32'h0000_0200, MSR_ME = 32'h0000_1000;
  localparam logic [31:0] DBCR0_IDM = 32'h4000_0000, DBCR0_IAC1 = 32'h0080_0000;
  localparam logic [31:0] DBSR_IDE = 32'h8000_0000, DBSR_IAC1 = 32'h0080_0000;
  localparam logic [31:0] EVENTS = 32'h7FFF_FFFF & ~32'h3000_0000;   // not IDE, not MRR

  logic [31:0] msr, dbcr0, iac1, dbsr, msr_after, dbsr_hit;
  logic        hit, precise;

  always_comb begin
    hit = dbcr0[30] && (dbcr0 & DBCR0_IAC1) != 0 && pc == iac1;
    precise = hit && (msr & MSR_DE) != 0;            // IAC with DE=1: before the instruction
    dbsr_hit = dbsr | (hit ? (DBSR_IAC1 | ((msr & MSR_DE) != 0 ? 32'h0 : DBSR_IDE)) : 32'h0);
    msr_after = msr;
    dbsr_next = dbsr_hit;
    if (!precise && is_mtmsr) msr_after = value;
    if (!precise && is_mtspr_dbsr) dbsr_next = dbsr_hit & ~value;
    take_debug = (dbcr0 & DBCR0_IDM) != 0 && (msr_after & MSR_DE) != 0 && (dbsr_next & EVENTS) != 0;
    saved_pc = precise ? pc : (bug && is_mtmsr ? pc : pc + 32'd4);
  end

  always_ff @(posedge clk) begin
    if (init) begin
      msr <= init_msr;
      dbcr0 <= init_dbcr0;
      iac1 <= init_iac1;
      dbsr <= 32'h0;
    end else if (valid) begin
      dbsr <= dbsr_next;
      msr <= take_debug ? (msr_after & MSR_ME) : msr_after;
    end
  end
endmodule
