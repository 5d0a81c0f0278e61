/* bookedbg explorer: steps through the run whose data is in #trace-data (written by
 * model/trace/explorer.c). No request leaves the page; the page is usable without this script. */
(function () {
	"use strict";
	var data = JSON.parse(document.getElementById("trace-data").textContent);
	var steps = data.steps, regs = data.regs, last = steps.length - 1, cur = -1;
	var root = document.documentElement;
	root.classList.add("js");
	/* The steps' elements are #step-N for a reader without the script; with it, the script moves
	 * to a step itself, so their ids change: the browser then does not scroll the page to them. */
	var items = Array.prototype.slice.call(document.querySelectorAll("#steps > li"));
	items.forEach(function (li) { li.id = "s-" + li.getAttribute("data-step"); });
	var embedded = {};
	data.sections.forEach(function (s) { embedded[s] = true; });

	function $(id) { return document.getElementById(id); }
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function hex(v) { return "0x" + ("0000000" + (v >>> 0).toString(16).toUpperCase()).slice(-8); }
	function href(section) {
		if (embedded[section]) return "#ref-" + section;
		return data.docs_base ? data.docs_base + "#" + section : null;
	}
	function link(section, text) {
		var h = href(section);
		if (!h) return el("span", "cite", text);
		var a = el("a", "cite", text);
		a.href = h;
		return a;
	}
	function fieldValue(v, f) { return ((v >>> 0) & (f.mask >>> 0)) >>> f.shift; }
	function bits(f) { return f.msb === f.lsb ? "bit " + f.msb : "bits " + f.msb + ":" + f.lsb; }
	function binary(value, f) {
		var w = f.lsb - f.msb + 1, s = value.toString(2);
		while (s.length < w) s = "0" + s;
		return s;
	}

	/* ---- the register view, built once ---- */
	var view = [];   /* per register: {row, hex, fields: [{el, f}]} */
	var byName = {};
	regs.forEach(function (r, ri) {
		byName[r.name] = ri;
		var row = el("div", "reg");
		var name = el("button", "rname", r.name);
		name.type = "button";
		name.title = r.name + ": " + r.meaning;
		name.addEventListener("click", function () { showInfo(ri, -1); });
		var hx = el("span", "hex", "");
		row.appendChild(name);
		row.appendChild(hx);
		var fields = [];
		if (r.fields.length) {
			var box = el("span", "fields");
			r.fields.forEach(function (f, fi) {
				var b = el("button", "field");
				b.type = "button";
				b.appendChild(el("span", "fname", f.name));
				var val = el("span", "fval", "");
				b.appendChild(val);
				b.title = r.name + "[" + f.name + "] " + bits(f) + ": " + f.meaning +
					" (docs/booke-debug.md#" + f.section + ")";
				b.setAttribute("data-field", r.name + "." + f.name);
				b.addEventListener("click", function () { showInfo(ri, fi); });
				box.appendChild(b);
				fields.push({ el: b, val: val, f: f });
			});
			row.appendChild(box);
		}
		row.setAttribute("data-reg", r.name);
		$("regs").appendChild(row);
		view.push({ row: row, hex: hx, fields: fields });
	});

	function showInfo(ri, fi) {
		var r = regs[ri], box = $("field-info"), v = steps[cur].v[ri] >>> 0;
		box.textContent = "";
		var head, meaning, section;
		if (fi < 0) {
			head = r.name + " = " + hex(v);
			meaning = r.meaning;
			section = r.section;
		} else {
			var f = r.fields[fi], x = fieldValue(v, f);
			head = r.name + "[" + f.name + "], " + bits(f) + " (mask " + hex(f.mask) + ") = " +
				(f.msb === f.lsb ? x : binary(x, f));
			meaning = f.meaning;
			section = f.section;
		}
		box.appendChild(el("strong", "", head));
		box.appendChild(document.createTextNode(": " + meaning + ". Rule: "));
		box.appendChild(link(section, "docs/booke-debug.md#" + section));
	}

	function val(name, i) { var k = byName[name]; return k === undefined ? 0 : steps[i].v[k] >>> 0; }
	function mask(reg, field) {
		var r = regs[byName[reg]];
		if (!r) return 0;
		for (var k = 0; k < r.fields.length; k++)
			if (r.fields[k].name === field) return r.fields[k].mask >>> 0;
		return 0;
	}
	/* Whether a recorded event can interrupt now: EDM, IDM, MSR[DE] and the DBSR events. */
	function gate(i) {
		var dbcr0 = val("DBCR0", i), msr = val("MSR", i), dbsr = val("DBSR", i);
		var ev = (dbsr & ~(mask("DBSR", "IDE") | mask("DBSR", "MRR"))) >>> 0;
		var names = regs[byName.DBSR].fields.filter(function (f) {
			return (ev & f.mask) >>> 0; }).map(function (f) { return f.name; }).join(", ");
		var idm = (dbcr0 & mask("DBCR0", "IDM")) ? 1 : 0, de = (msr & mask("MSR", "DE")) ? 1 : 0;
		var s = "DBCR0[EDM]=" + ((dbcr0 & mask("DBCR0", "EDM")) ? 1 : 0) + " IDM=" + idm + ", MSR[DE]=" +
			de + ", DBSR events: " + (names || "none") + " \u2192 ";
		if (dbcr0 & mask("DBCR0", "EDM")) s += "external debug mode: events halt the core";
		else if (!idm) s += "internal debug mode off: no debug interrupt";
		else if (!ev) s += "nothing pending";
		else if (!de) s += "the debug interrupt waits until MSR[DE]=1 (level-sensitive)";
		else s += "the debug interrupt is taken at the next boundary";
		return s;
	}

	function showRegs(i) {
		regs.forEach(function (r, ri) {
			var v = steps[i].v[ri] >>> 0, p = i ? steps[i - 1].v[ri] >>> 0 : v, x = (v ^ p) >>> 0;
			var w = view[ri];
			w.hex.textContent = hex(v);
			w.row.classList.toggle("changed", x !== 0);
			w.fields.forEach(function (fv) {
				var f = fv.f, n = fieldValue(v, f);
				fv.val.textContent = f.msb === f.lsb ? String(n) : binary(n, f);
				fv.el.classList.toggle("on", n !== 0);
				fv.el.classList.toggle("changed", ((x & f.mask) >>> 0) !== 0);
			});
		});
		$("gate").textContent = gate(i);
		$("reg-step").textContent = String(i);
	}

	function showNarration(i) {
		var s = steps[i];
		$("now-step").textContent = String(i);
		$("now-src").textContent = s.kind === "start" ? "a fresh " + data.core + ", before the first statement"
			: data.file + ":" + s.line + "  " + s.src;
		$("now-run").textContent = s.run;
		var ul = $("now-notes");
		ul.textContent = "";
		s.notes.forEach(function (n) {
			var li = el("li", "", n[0] + " ");
			if (n[1]) li.appendChild(link(n[2], n[1]));
			ul.appendChild(li);
		});
		if (!s.notes.length && s.kind !== "start" && s.kind !== "expect")
			ul.appendChild(el("li", "none", "no rule to narrate: nothing happened to the debug facility"));
		var changes = $("now-changes"), li = items[i], c = li && li.querySelector(".changes");
		changes.textContent = c ? c.textContent : "";
		/* the expects that check this statement: they follow it */
		var checks = $("now-checks");
		checks.textContent = "";
		for (var k = i + 1; s.kind !== "expect" && k <= last && steps[k].kind === "expect"; k++) {
			var e = el("li", steps[k].expect ? "failed" : "ok");
			var a = el("a", "", "step " + k);
			a.href = "#step-" + k;
			e.appendChild(a);
			e.appendChild(document.createTextNode(" line " + steps[k].line + ": " + steps[k].src +
				(steps[k].expect ? "  \u2717 failed" : "  \u2713 ok")));
			checks.appendChild(e);
		}
	}

	var svg = $("wave-svg"), cursor = $("wave-cursor");
	var left = cursor ? +cursor.getAttribute("x") : 0, colw = cursor ? +cursor.getAttribute("width") : 0;
	function showCursor(i) {
		if (!cursor) return;
		var x = left + steps[i].col * colw;
		cursor.setAttribute("x", String(x));
		var box = svg.parentNode;
		if (x < box.scrollLeft || x + colw > box.scrollLeft + box.clientWidth)
			box.scrollLeft = Math.max(0, x - box.clientWidth / 2);
	}

	function go(i, fromHash) {
		i = Math.max(0, Math.min(last, i | 0));
		if (i === cur) return;
		var old = items[cur];
		if (old) { old.classList.remove("current"); old.removeAttribute("aria-current"); }
		cur = i;
		var li = items[i];
		li.classList.add("current");
		li.setAttribute("aria-current", "step");
		var list = $("list");
		if (li.offsetTop < list.scrollTop || li.offsetTop + li.offsetHeight > list.scrollTop + list.clientHeight)
			list.scrollTop = Math.max(0, li.offsetTop - list.clientHeight / 3);
		showRegs(i);
		showNarration(i);
		showCursor(i);
		$("pos").textContent = "step " + i + " of " + last;
		$("goto").value = String(i);
		$("prev").disabled = $("first").disabled = i === 0;
		$("next").disabled = $("last").disabled = i === last;
		$("field-info").textContent = "";
		if (!fromHash && location.hash !== "#step-" + i) {
			try { history.replaceState(null, "", "#step-" + i); } catch (e) { /* a sandboxed frame */ }
		}
	}

	function fromHash() {
		var m = /^#step-(\d+)$/.exec(location.hash);
		return m ? +m[1] : null;
	}

	$("first").addEventListener("click", function () { go(0); });
	$("prev").addEventListener("click", function () { go(cur - 1); });
	$("next").addEventListener("click", function () { go(cur + 1); });
	$("last").addEventListener("click", function () { go(last); });
	$("goto").addEventListener("change", function () { go(+this.value); });
	Array.prototype.forEach.call(document.querySelectorAll("#steps a.go"), function (a) {
		a.addEventListener("click", function (e) {
			e.preventDefault();
			go(+a.parentNode.getAttribute("data-step"));
		});
	});
	Array.prototype.forEach.call(document.querySelectorAll("#wave-svg g.col"), function (g) {
		g.addEventListener("click", function () { go(+g.getAttribute("data-step")); });
	});
	window.addEventListener("hashchange", function () {
		var n = fromHash();
		if (n !== null) go(n, true);
	});
	document.addEventListener("keydown", function (e) {
		if (e.altKey || e.ctrlKey || e.metaKey) return;
		var t = e.target && e.target.tagName;
		if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return;
		var k = e.key;
		if (k === "ArrowRight" || k === "ArrowDown" || k === "j") go(cur + 1);
		else if (k === "ArrowLeft" || k === "ArrowUp" || k === "k") go(cur - 1);
		else if (k === "Home") go(0);
		else if (k === "End") go(last);
		else return;
		e.preventDefault();
	});
	var start = fromHash();
	go(start === null ? 0 : start, start !== null);
	/* The step list scrolls itself to the step: the page starts at the top, also after the browser
	 * has jumped to the #step-N element on load. */
	window.scrollTo(0, 0);
	window.addEventListener("load", function () { setTimeout(function () { window.scrollTo(0, 0); }, 0); });
	document.body.setAttribute("data-ready", "1");
})();
