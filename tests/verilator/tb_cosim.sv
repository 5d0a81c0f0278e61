// Lockstep co-simulation over DPI-C: every cycle the testbench hands the completing instruction to
// the bookedbg model (cosim_step) and compares what the RTL did (cosim_check); at the end it
// drains the model's mismatch messages (cosim_pop_error). Run plain, the DUT agrees with the model;
// run with +wrong_dut, the DUT's planted bug must be reported, exactly once, with its CSRR0.
module tb_cosim (input logic clk, output logic done, output logic ok);
  import "DPI-C" function int cosim_create(input int core);
  import "DPI-C" function int cosim_set_reg(input int h, input int spr, input int unsigned value);
  import "DPI-C" function int cosim_insn_kind(input string name);
  import "DPI-C" function int cosim_step(input int h, input longint unsigned cycle,
      input int unsigned pc, input int kind, input int unsigned ea, input int unsigned size,
      input int unsigned target, input int spr, input int unsigned value, input int flags);
  import "DPI-C" function int cosim_check(input int h, input int unsigned dbsr, input int took_debug,
      input int unsigned saved_pc);
  import "DPI-C" function int cosim_error_count(input int h);
  import "DPI-C" function string cosim_pop_error(input int h);

  localparam int SPR_DBSR = 304, SPR_DBCR0 = 308, SPR_IAC1 = 312, SPR_IVPR = 63, SPR_IVOR15 = 415;
  localparam int SPR_MSR = -1;
  localparam int N = 5;
  // docs/tour/07-delayed-event.trace, then the handler clears DBSR and a plain instruction follows
  localparam logic [31:0] PC[N] = '{32'h2000, 32'h2004, 32'h2008, 32'hFFFF_0F00, 32'hFFFF_0F04};
  localparam logic [1:0]  OP[N] = '{2'd0, 2'd0, 2'd1, 2'd2, 2'd0};   // 0 nop, 1 mtmsr, 2 mtspr DBSR
  localparam logic [31:0] VAL[N] = '{32'h0, 32'h0, 32'h1200, 32'h8080_0000, 32'h0};

  int h, k_nop, k_mtmsr, k_mtspr, i, cycle, mismatches;
  logic bug, init;
  logic [31:0] dbsr_next, saved_pc;
  logic take_debug;

  dut_dbg dut (.clk, .valid(!init && i < N), .pc(PC[i < N ? i : 0]), .is_mtmsr(OP[i < N ? i : 0] == 2'd1),
               .is_mtspr_dbsr(OP[i < N ? i : 0] == 2'd2), .value(VAL[i < N ? i : 0]), .bug,
               .init, .init_msr(32'h1000), .init_dbcr0(32'h4080_0000), .init_iac1(32'h2000),
               .dbsr_next, .take_debug, .saved_pc);

  initial begin
    bug = $test$plusargs("wrong_dut");
    init = 1;
    i = 0;
    cycle = 0;
    done = 0;
    ok = 0;
    mismatches = 0;
    h = cosim_create(0);
    k_nop = cosim_insn_kind("nop");
    k_mtmsr = cosim_insn_kind("mtmsr");
    k_mtspr = cosim_insn_kind("mtspr");
    void'(cosim_set_reg(h, SPR_IVPR, 32'hFFFF_0000));
    void'(cosim_set_reg(h, SPR_IVOR15, 32'hF00));
    void'(cosim_set_reg(h, SPR_MSR, 32'h1000));
    void'(cosim_set_reg(h, SPR_DBCR0, 32'h4080_0000));
    void'(cosim_set_reg(h, SPR_IAC1, 32'h2000));
  end

  // Testbench code, not logic: counters update in place, in call order with the DPI calls.
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (init) begin
      init <= 0;
    end else if (i < N) begin
      int kind;
      cycle = cycle + 1;
      kind = OP[i] == 2'd1 ? k_mtmsr : OP[i] == 2'd2 ? k_mtspr : k_nop;
      void'(cosim_step(h, longint'(cycle), PC[i], kind, 0, 0, 0, OP[i] == 2'd2 ? SPR_DBSR : 0, VAL[i], 0));
      mismatches = mismatches + cosim_check(h, dbsr_next, take_debug ? 1 : 0, saved_pc);
      i <= i + 1;
    end else if (!done) begin
      int n;
      string first;
      n = cosim_error_count(h);
      first = "";
      for (int k = 0; k < n; k++) begin
        string m;
        m = cosim_pop_error(h);
        if (k == 0) first = m;
        $display("cosim mismatch: %s", m);
      end
      if (bug)
        ok <= n == 1 && mismatches == 1 &&
              first == "cycle 3 pc 0x00002008 (mtmsr): CSRR0: model 0x0000200C, DUT 0x00002008";
      else
        ok <= n == 0 && mismatches == 0;
      if (bug) $display("verilator cosim (wrong DUT): %0d cycles, %0d mismatches", cycle, n);
      else $display("verilator cosim (correct DUT): %0d cycles, %0d mismatches", cycle, n);
      done <= 1;
    end
  end
  /* verilator lint_on BLKSEQ */
endmodule
