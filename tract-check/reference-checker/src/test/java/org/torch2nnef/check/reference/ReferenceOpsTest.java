package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each test writes an NNEF graph (text below, variables from the fixture) to disk, reads it back,
 * runs it through the interpreter and compares with what torch computed for the same computation
 * (make_fixtures.py).
 */
class ReferenceOpsTest extends ManagedTest {
    private void check(String fixture, String graph, String target) throws IOException {
        Fixture f = new Fixture(manager, fixture);
        f.runAndCheck(f.write(graph, dir.resolve(target)), manager);
    }

    @Test
    void elementwise() throws IOException {
        check(
                "elementwise",
                """
                version 1.0;
                extension tract_registry tract_core;

                fragment affine(x: tensor<scalar>, y: tensor<scalar>, a: scalar = 2.0) -> (z: tensor<scalar>)
                {
                    z = a * x - y / 4.0;
                }

                fragment my_gelu(x: tensor<scalar>) -> (y: tensor<scalar>)
                {
                    y = 0.5 * x * (1.0 + tract_core_erf(x / sqrt(2.0)));
                }

                graph G(x, y, h) -> (add, sub, mul, div, pow, exp, log, sin, cos, abs, neg, sign, floor, ceil,
                    round, sqrt, rsqrt, rcp, sqr, relu, sigmoid, tanh, elu, leaky, softplus, mn, mx, clamp, sel,
                    lt, eqz, andor, bias, expr, erf, gelu)
                {
                    x = external<scalar>(shape = [2, 3, 4]);
                    y = external<scalar>(shape = [2, 3, 4]);
                    h = external(shape = [2, 3, 4]);
                    b = variable<scalar>(shape = [1, 3], label = 'b');
                    add = add(x, y);
                    sub = sub(x, y);
                    mul = mul(x, y);
                    ya = abs(y);
                    ya1 = add(ya, 1.0);
                    div = div(x, ya1);
                    xa = abs(x);
                    xa5 = add(xa, 0.5);
                    pow = pow(xa5, y);
                    exp = exp(x);
                    xa1 = add(1.0, xa);
                    log = log(xa1);
                    sin = sin(x);
                    cos = cos(x);
                    abs = abs(x);
                    neg = neg(x);
                    sign = sign(h);
                    floor = floor(h);
                    ceil = ceil(h);
                    round = round(h);
                    sqrt = sqrt(xa);
                    rsqrt = rsqrt(xa1);
                    rcp = rcp(xa1);
                    sqr = sqr(x);
                    relu = relu(x);
                    sigmoid = sigmoid(x);
                    tanh = tanh(x);
                    elu = elu(x);
                    leaky = leaky_relu(x, alpha = 0.1);
                    softplus = softplus(x);
                    mn = min(x, y);
                    mx = max(x, y);
                    clamp = clamp(x, -0.5, 0.5);
                    gt = gt(x, y);
                    sel = select(gt, x, y);
                    lt = lt(x, y);
                    eqz = eq(h, 0.5);
                    xp = gt(x, 0.0);
                    yp = gt(y, 0.0);
                    xn = lt(x, -1.0);
                    both = and(xp, yp);
                    andor = or(both, xn);
                    bias = add(x, b);
                    expr = affine(x, y);
                    erf = tract_core_erf(x);
                    gelu = my_gelu(x);
                }
                """,
                "elementwise.nnef.tgz");
    }

    @Test
    void matmulAndLinear() throws IOException {
        check(
                "matmul",
                """
                version 1.0;

                graph G(a, b, c, x) -> (ab, ac, ta, lin)
                {
                    a = external<scalar>(shape = [2, 3, 4]);
                    b = external<scalar>(shape = [2, 5, 4]);
                    c = external<scalar>(shape = [2, 4, 5]);
                    x = external<scalar>(shape = [3, 4]);
                    w = variable<scalar>(shape = [5, 4], label = 'w');
                    bias = variable<scalar>(shape = [1, 5], label = 'bias');
                    ab = matmul(a, b, transposeB = true);
                    ac = matmul(a, c);
                    ta = matmul(a, a, transposeA = true);
                    lin = linear(x, w, bias);
                }
                """,
                "matmul");
    }

    @Test
    void conv() throws IOException {
        check(
                "conv",
                """
                version 1.0;

                graph G(x, x1, x8) -> (explicit, strided, dilated, asym, same, depthwise, grouped1d)
                {
                    x = external<scalar>(shape = [1, 2, 7, 7]);
                    x1 = external<scalar>(shape = [1, 3, 10]);
                    x8 = external<scalar>(shape = [1, 2, 8, 8]);
                    w = variable<scalar>(shape = [4, 2, 3, 3], label = 'w');
                    b = variable<scalar>(shape = [1, 4], label = 'b');
                    dw = variable<scalar>(shape = [2, 1, 3, 3], label = 'dw');
                    w1 = variable<scalar>(shape = [6, 1, 3], label = 'w1');
                    explicit = conv(x, w, b, padding = [(1, 1), (1, 1)]);
                    strided = conv(x, w, b, padding = [(0, 0), (0, 0)], stride = [2, 2], dilation = [1, 1]);
                    dilated = conv(x, w, 0.0, padding = [(2, 2), (2, 2)], dilation = [2, 2]);
                    asym = conv(x, w, b, border = 'constant', padding = [(1, 0), (0, 2)]);
                    same = conv(x8, w, b, stride = [2, 2]);
                    depthwise = conv(x, dw, padding = [(1, 1), (1, 1)], groups = 0);
                    grouped1d = conv(x1, w1, padding = [(1, 1)], groups = 3);
                }
                """,
                "conv.nnef.tar");
    }

    /** tract's layout, {@code [O, C/groups, k...]}: the model declares a tract extension. */
    @Test
    void deconv() throws IOException {
        check(
                "deconv",
                """
                version 1.0;
                extension tract_registry tract_core;

                graph G(x) -> (plain, strided, shaped, grouped)
                {
                    x = external<scalar>(shape = [1, 4, 5, 5]);
                    w = variable<scalar>(shape = [3, 4, 3, 3], label = 'w');
                    b = variable<scalar>(shape = [1, 3], label = 'b');
                    wg = variable<scalar>(shape = [4, 2, 3, 3], label = 'wg');
                    plain = deconv(x, w, b, padding = [(0, 0), (0, 0)]);
                    strided = deconv(x, w, b, padding = [(1, 1), (1, 1)], stride = [2, 2]);
                    shaped = deconv(x, w, padding = [(1, 1), (1, 1)], stride = [2, 2], output_shape = [1, 3, 10, 10]);
                    grouped = deconv(x, wg, padding = [(1, 1), (1, 1)], groups = 2);
                }
                """,
                "deconv");
    }

    /**
     * Standard NNEF (no tract extension): Khronos' filter layout {@code [C, O/groups, k...]},
     * torch's own, made here from the fixture's tract-layout filters with standard ops. The
     * interpreter used to read every deconv filter as tract's and rejected these.
     */
    @Test
    void deconvKhronos() throws IOException {
        check(
                "deconv",
                """
                version 1.0;

                graph G(x) -> (plain, strided, shaped, grouped)
                {
                    x = external<scalar>(shape = [1, 4, 5, 5]);
                    w = variable<scalar>(shape = [3, 4, 3, 3], label = 'w');
                    b = variable<scalar>(shape = [1, 3], label = 'b');
                    wg = variable<scalar>(shape = [4, 2, 3, 3], label = 'wg');
                    k = transpose(w, axes = [1, 0, 2, 3]);
                    g5 = reshape(wg, shape = [2, 2, 2, 3, 3]);
                    g5t = transpose(g5, axes = [0, 2, 1, 3, 4]);
                    kg = reshape(g5t, shape = [4, 2, 3, 3]);
                    plain = deconv(x, k, b, padding = [(0, 0), (0, 0)]);
                    strided = deconv(x, k, b, padding = [(1, 1), (1, 1)], stride = [2, 2]);
                    shaped = deconv(x, k, padding = [(1, 1), (1, 1)], stride = [2, 2], output_shape = [1, 3, 10, 10]);
                    grouped = deconv(x, kg, padding = [(1, 1), (1, 1)], groups = 2);
                }
                """,
                "deconv-khronos");
    }

    /** Khronos' shape rule: a filter in tract's layout is refused as NNEF-Tools refuses it. */
    @Test
    void deconvKhronosRefusesTractLayout() throws IOException {
        Fixture f = new Fixture(manager, "deconv");
        NnefInterpreter model =
                f.write(
                        """
                        version 1.0;

                        graph G(x) -> (plain)
                        {
                            x = external<scalar>(shape = [1, 4, 5, 5]);
                            w = variable<scalar>(shape = [3, 4, 3, 3], label = 'w');
                            plain = deconv(x, w, padding = [(0, 0), (0, 0)]);
                        }
                        """,
                        dir.resolve("deconv-tract-layout"));
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", f.get("in_x")), manager));
        assertTrue(
                e.getMessage().contains("filter batch (3) does not match input channels (4)"),
                e.getMessage());
    }

    @Test
    void layout() throws IOException {
        check(
                "layout",
                """
                version 1.0;

                graph G(x, y) -> (reshaped, guessed, partial, transposed, squeezed, unsqueezed, concat, stacked,
                    unstacked, split1, split2, sliced, negative, to_end, padded, reflected, replicated, tiled)
                {
                    x = external<scalar>(shape = [2, 3, 4]);
                    y = external<scalar>(shape = [2, 3, 4]);
                    reshaped = reshape(x, shape = [0, -1]);
                    guessed = reshape(x, shape = [6, 4]);
                    partial = reshape(x, shape = [2, 2], axis_start = 2, axis_count = 1);
                    transposed = transpose(x, axes = [2, 0, 1]);
                    first = slice(x, axes = [1], begin = [0], end = [1]);
                    squeezed = squeeze(first, axes = [1]);
                    unsqueezed = unsqueeze(x, axes = [1, 4]);
                    concat = concat([x, y], axis = 1);
                    stacked = stack([x, y], axis = 1);
                    [u0, unstacked, u2] = unstack(x, axis = 1);
                    [split1, split2] = split(x, axis = 2, ratios = [1, 3]);
                    sliced = slice(x, axes = [1, 2], begin = [1, 0], end = [3, 4], stride = [1, 2]);
                    negative = slice(x, axes = [1, 2], begin = [-2, 0], end = [3, -1]);
                    to_end = slice(x, axes = [1], begin = [1], end = [0]);
                    padded = pad(x, padding = [(0, 0), (0, 1), (1, 2)]);
                    reflected = pad(x, padding = [(0, 0), (0, 0), (2, 1)], border = 'reflect');
                    replicated = pad(x, padding = [(0, 0), (0, 0), (1, 2)], border = 'replicated');
                    tiled = tile(x, repeats = [1, 2, 3]);
                }
                """,
                "layout");
    }

    @Test
    void reductionsAndSoftmax() throws IOException {
        check(
                "reduce",
                """
                version 1.0;
                extension tract_registry tract_core;

                graph G(x, b) -> (sum, mean, mean2, max, min, prod, argmax, argmax2, argmin, any, all, softmax,
                    softmax2, logsoftmax, moments_mean, moments_var)
                {
                    x = external<scalar>(shape = [2, 3, 4]);
                    b = external<logical>(shape = [2, 3, 4]);
                    sum = sum_reduce(x, axes = [1, 2]);
                    mean = mean_reduce(x, axes = [1]);
                    mean2 = mean_reduce(x, axes = [0, 2]);
                    max = max_reduce(x, axes = [2]);
                    min = min_reduce(x, axes = [0, -1]);
                    prod = tract_core_product_reduce(x, axes = [1]);
                    argmax = argmax_reduce(x, axes = [1]);
                    argmax2 = argmax_reduce(x, axes = [1, 2]);
                    argmin = argmin_reduce(x, axes = [2]);
                    any = any_reduce(b, axes = [2]);
                    all = all_reduce(b, axes = [1]);
                    softmax = softmax(x);
                    softmax2 = softmax(x, axes = [1, 2]);
                    logsoftmax = tract_core_log_softmax(x, axes = [2]);
                    (moments_mean, moments_var) = moments(x, axes = [2]);
                }
                """,
                "reduce");
    }

    @Test
    void poolingAndNormalization() throws IOException {
        check(
                "pool",
                """
                version 1.0;

                graph G(x, x8) -> (maxpool, maxsame, avgign, avgcon, box, lrn, bn, up, down, area, mpv, mpi, ami)
                {
                    x = external<scalar>(shape = [1, 2, 7, 7]);
                    x8 = external<scalar>(shape = [1, 2, 8, 8]);
                    mean = variable<scalar>(shape = [1, 2], label = 'mean');
                    var = variable<scalar>(shape = [1, 2], label = 'var');
                    offset = variable<scalar>(shape = [1, 2], label = 'offset');
                    scale = variable<scalar>(shape = [1, 2], label = 'scale');
                    maxpool = max_pool(x, size = [1, 1, 3, 3], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (1, 1), (1, 1)], border = 'ignore');
                    maxsame = max_pool(x8, size = [1, 1, 3, 3], stride = [1, 1, 2, 2]);
                    avgign = avg_pool(x, size = [1, 1, 3, 3], padding = [(0, 0), (0, 0), (1, 1), (1, 1)], border = 'ignore');
                    avgcon = avg_pool(x, size = [1, 1, 3, 3], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (1, 1), (1, 1)], border = 'constant');
                    box = box(x, size = [1, 1, 2, 2], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (0, 0), (0, 0)]);
                    lrn = local_response_normalization(x, size = [1, 3, 1, 1], alpha = 0.3, beta = 0.75, bias = 2.0);
                    bn = batch_normalization(x, mean, var, offset, scale, epsilon = 0.001);
                    up = nearest_upsample(x, factor = [2, 2]);
                    down = nearest_downsample(x, factor = [2, 3]);
                    area = area_downsample(x8, factor = [2, 2]);
                    (mpv, mpi) = max_pool_with_index(x, size = [1, 1, 3, 3], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (1, 1), (1, 1)], border = 'ignore');
                    ami = argmax_pool(x8, size = [1, 1, 2, 2], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (0, 0), (0, 0)]);
                }
                """,
                "pool");
    }

    @Test
    void tractCore() throws IOException {
        check(
                "tract_core",
                """
                version 1.0;
                extension tract_registry tract_core;

                graph G(x, idx, cls, ties) -> (gather, cast, shape, range, topv, topi, onehot, triu, tril, bcast,
                    argmaxlast, argmaxfirst, argminlast, down, dyn, frange)
                {
                    x = external<scalar>(shape = [3, 4, 5]);
                    idx = external<integer>(shape = [2, 2]);
                    cls = external<integer>(shape = [3]);
                    ties = external<scalar>(shape = [2, 3]);
                    gather = tract_core_gather(x, indices = idx, axis = 1);
                    cast = tract_core_cast(x, to = 'i64');
                    shape = tract_core_shape_of(x);
                    range = tract_core_range(1, 10, 3);
                    (topv, topi) = tract_core_topk(x, k = 2, axis = 2, largest = true);
                    onehot = tract_core_one_hot(cls, axis = 0, dim = 4);
                    triu = tract_core_trilu(x, k = 1, upper = true);
                    tril = tract_core_trilu(x, k = 0, upper = false);
                    first = slice(x, axes = [0, 2], begin = [0, 0], end = [1, 1]);
                    bcast = tract_core_broadcast(first, shape = [2, 3, 4, 5]);
                    argmaxlast = tract_core_argmax_reduce_last(ties, axes = [1]);
                    argmaxfirst = argmax_reduce(ties, axes = [1]);
                    argminlast = tract_core_argmin_reduce_last(ties, axes = [1]);
                    down = tract_core_downsample(x, axis = 2, stride = 2, modulo = 1);
                    dyn = tract_core_dyn_slice(x, start = 1, end = 3, len = 2, axis = 1);
                    frange = tract_core_range(0.5, 2.0, 0.25);
                }
                """,
                "tract_core");
    }

    /** The RNN pattern torch-to-nnef exports with tract_core_scan, forwards and backwards. */
    @Test
    void scan() throws IOException {
        check(
                "scan",
                """
                version 1.0;
                extension tract_registry tract_core;

                fragment rnn_step(
                    h_prev: tensor<scalar>,
                    x_t: tensor<scalar>,
                    W: tensor<scalar>,
                    U: tensor<scalar>
                ) -> (h_t: tensor<scalar>, y_t: tensor<scalar>)
                {
                    xt = squeeze(x_t, axes = [0]);
                    h_t = tanh(linear(xt, W) + matmul(h_prev, U, transposeB = true));
                    y_t = unsqueeze(h_t, axes = [0]);
                }

                fragment rnn(input: tensor<scalar>, h_0: tensor<scalar>, W: tensor<scalar>, U: tensor<scalar>,
                             pace: integer) -> (h_n: tensor<scalar>, h_last: tensor<scalar>)
                {
                    (h_n, h_last) = tract_core_scan(
                        body = "rnn_step",
                        scan = [("x_t", input, 0, pace)],
                        full = [("W", W), ("U", U)],
                        state = [("h_prev", h_0, "h_t")],
                        output = [("y_t", "full", 0, pace), ("h_t", "last", 0, pace)],
                        skip = 0
                    );
                }

                graph G(x, h0) -> (full, last, bfull, blast)
                {
                    x = external<scalar>(shape = [6, 1, 3]);
                    h0 = external<scalar>(shape = [1, 4]);
                    w = variable<scalar>(shape = [4, 3], label = 'w');
                    u = variable<scalar>(shape = [4, 4], label = 'u');
                    (full, last) = rnn(x, h0, w, u, pace = 1);
                    (bfull, blast) = rnn(x, h0, w, u, pace = -1);
                }
                """,
                "scan");
    }

    @Test
    void resamplingGathersIntegersAndBroadcasting() throws IOException {
        check(
                "extra",
                """
                version 1.0;
                extension tract_registry tract_core;

                # bounds from the input's shape, as tensors inside attribute arrays
                fragment middle(input: tensor<scalar>, axis: integer) -> (output: tensor<scalar>)
                {
                    dims = tract_core_shape_of(input);
                    dim = slice(dims, axes = [0], begin = [axis], end = [axis + 1]);
                    last = squeeze(dim, axes = [0]) - 1;
                    output = slice(input, axes = [axis], begin = [1], end = [last]);
                }

                graph G(x, s, v, gi, nd, a, b, cond, x5) -> (deboxup, deboxsum, gatherel, gathernd, dynslice, padval,
                    reflecteven, chanbox, dilmax, l2, iadd, idiv, imul, tobool, tof16, bsel, conv3d)
                {
                    x = external<scalar>(shape = [1, 2, 4, 4]);
                    s = external<scalar>(shape = [1, 5, 4]);
                    v = external<scalar>(shape = [3, 4, 5]);
                    gi = external<integer>(shape = [3, 3, 2]);
                    nd = external<integer>(shape = [3, 2]);
                    a = external<integer>(shape = [2, 3]);
                    b = external<integer>(shape = [2, 3]);
                    cond = external<logical>(shape = [2, 4]);
                    x5 = external<scalar>(shape = [1, 2, 3, 4, 5]);
                    w5 = variable<scalar>(shape = [3, 2, 2, 3, 3], label = 'w5');
                    deboxup = debox(x, size = [1, 1, 2, 2], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (0, 0), (0, 0)]);
                    deboxsum = debox(x, size = [1, 1, 3, 3], stride = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (1, 1), (1, 1)]);
                    gatherel = tract_core_gather_elements(v, gi, axis = 2);
                    gathernd = tract_core_gather_nd(v, nd, batch_dims = 0);
                    dynslice = middle(s, axis = 1);
                    padval = pad(s, padding = [(0, 0), (0, 2), (1, 0)], value = 2.5);
                    reflecteven = pad(s, padding = [(0, 0), (0, 0), (2, 1)], border = 'reflect-even');
                    chanbox = box(s, size = [1, 3, 1], stride = [1, 2, 1], padding = [(0, 0), (1, 1), (0, 0)]);
                    dilmax = max_pool(x, size = [1, 1, 3, 3], dilation = [1, 1, 2, 2], padding = [(0, 0), (0, 0), (2, 2), (2, 2)], border = 'ignore');
                    l2 = l2_normalization(s, axes = [1], epsilon = 0.001);
                    iadd = add(a, b);
                    idiv = div(a, b);
                    imul = mul(a, 3);
                    tobool = tract_core_cast(a, to = 'bool');
                    tof16 = tract_core_cast(s, to = 'f16');
                    v2 = slice(v, axes = [0], begin = [0], end = [2]);
                    bsel = select(cond, v2, 0.0);
                    conv3d = conv(x5, w5, padding = [(0, 0), (1, 1), (1, 1)]);
                }
                """,
                "extra");
    }

    @Test
    void quantizationOps() throws IOException {
        check(
                "quantize",
                """
                version 1.0;

                graph G(x) -> (zpu, zps, zpa, mm, lin, log)
                {
                    x = external<scalar>(shape = [4, 5]);
                    zpu = zero_point_linear_quantize(x, zero_point = 3, scale = 0.1, bits = 8, signed = false, symmetric = false);
                    zps = zero_point_linear_quantize(x, zero_point = 0, scale = 0.25, bits = 4, signed = true, symmetric = true);
                    zpa = zero_point_linear_quantize(x, zero_point = -1, scale = 0.25, bits = 4, signed = true, symmetric = false);
                    mm = min_max_linear_quantize(x, min = -1.0, max = 1.0, bits = 3, signed = true, symmetric = true);
                    lin = linear_quantize(x, min = -2.0, max = 2.5, bits = 4);
                    log = logarithmic_quantize(x, max = 4.0, bits = 3);
                }
                """,
                "quantize");
    }

    @Test
    void activationsAndNormalizations() throws IOException {
        check(
                "activations",
                """
                version 1.0;
                extension tract_registry tract_core;

                graph G(x) -> (prelu, selu, silu, gelu, tan, atan, sinh, log2, rsqr, softabs, hswish, rnd_even, rms,
                    l1, lmean, lcontrast, csilu, gapprox, cube, rmsnorm, isinf, isposinf)
                {
                    x = external<scalar>(shape = [1, 3, 5, 5]);
                    alpha = variable<scalar>(shape = [1, 3], label = 'alpha');
                    prelu = prelu(x, alpha);
                    selu = selu(x);
                    silu = silu(x);
                    gelu = gelu(x);
                    tan = tan(x);
                    atan = atan(x);
                    sinh = sinh(x);
                    log2 = log2(abs(x) + 1.0);
                    rsqr = rsqr(sqrt(sqr(x) + 1.0));
                    softabs = softabs(x, epsilon = 0.5);
                    hswish = tract_core_hard_swish(x);
                    rnd_even = tract_core_round_even(x * 2.0);
                    rms = rms_pool(x, size = [1, 1, 3, 3], padding = [(0, 0), (0, 0), (1, 1), (1, 1)]);
                    l1 = l1_normalization(x, axes = [1], bias = 0.5, epsilon = 0.001);
                    lmean = local_mean_normalization(x, size = [1, 3, 1, 1]);
                    lcontrast = local_contrast_normalization(x, size = [1, 3, 1, 1], bias = 0.1, epsilon = 0.01);
                    csilu = tract_core_silu(x);
                    gapprox = tract_core_gelu_approx(x, fast_impl = false);
                    cube = tract_core_pow_const(x, exponent = 3.0);
                    rmsnorm = tract_core_rms_norm(x, axis = 1, eps = 0.00001);
                    big = tract_core_cast(gt(x, 1.0), to = 'f32');
                    ratio = div(x, big);
                    isinf = tract_core_is_inf(ratio);
                    isposinf = tract_core_is_inf(ratio, detect_negative = false);
                }
                """,
                "activations");
    }

    @Test
    void einsumAndScatter() throws IOException {
        check(
                "einsum",
                """
                version 1.0;
                extension tract_registry tract_core;

                graph G(a, w, b, u, v, m1, m2, m3, x, idx, upd) -> (lin, bmm, outer, total, implicit, chain, perm, scatter)
                {
                    a = external<scalar>(shape = [2, 3, 4]);
                    w = external<scalar>(shape = [5, 4]);
                    b = external<scalar>(shape = [2, 4, 6]);
                    u = external<scalar>(shape = [3]);
                    v = external<scalar>(shape = [4]);
                    m1 = external<scalar>(shape = [2, 3]);
                    m2 = external<scalar>(shape = [3, 4]);
                    m3 = external<scalar>(shape = [4, 5]);
                    x = external<scalar>(shape = [3, 5]);
                    idx = external<integer>(shape = [3, 2]);
                    upd = external<scalar>(shape = [3, 2]);
                    lin = tract_core_einsum([a, w], expr = "bmk,nk->bmn", acc = "f32", output = "");
                    bmm = tract_core_einsum([a, b], expr = "bij,bjk->bik", acc = "f32");
                    outer = tract_core_einsum([u, v], expr = "i,j->ij", acc = "f32");
                    total = tract_core_einsum([a], expr = "bij->j", acc = "f32");
                    implicit = tract_core_einsum([m1, m2], expr = "ij,jk", acc = "f32");
                    chain = tract_core_einsum([m1, m2, m3], expr = "ab,bc,cd->ad", acc = "f32");
                    perm = tract_core_einsum([a], expr = "ijk->kji", acc = "f32");
                    scatter = tract_core_scatter_elements(x, idx, upd, axis = 1);
                }
                """,
                "einsum");
    }

    @Test
    void multilinearUpsample() throws IOException {
        check(
                "upsample",
                """
                version 1.0;

                graph G(x, s) -> (sym, aligned, asym)
                {
                    x = external<scalar>(shape = [1, 2, 3, 4]);
                    s = external<scalar>(shape = [1, 2, 5]);
                    sym = multilinear_upsample(x, factor = [2, 2]);
                    aligned = multilinear_upsample(x, factor = [3, 2], method = 'aligned');
                    asym = multilinear_upsample(s, factor = [3], method = 'asymmetric');
                }
                """,
                "upsample");
    }
}
